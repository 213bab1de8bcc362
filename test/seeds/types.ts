/**
 * The shape of a seed written as data (test/seeds/<nnn>-<name>.seed.ts): only what the seed text
 * states, each fact with the seed file's line numbers, and the differences from the project's
 * rendering that are known and explained (`allowedDifferences`). compare.ts checks both ways:
 * a difference not listed fails, and a listed one that no longer occurs fails too.
 */

/** Lines of the seed file a fact is transcribed from, e.g. "35-57". */
export type Lines = string;

/** A Kubernetes object as the seed writes it (its YAML, as data). */
export interface SeedObject {
    lines: Lines;
    /** Fields the seed implies but does not write (dotted path -> why the value follows from the seed). */
    inferred?: Record<string, string>;
    object: { apiVersion: string; kind: string; metadata: { name: string; [k: string]: unknown }; [k: string]: unknown };
}

/** One BGP neighbor statement of a router, as the seed configures it. */
export interface SeedNeighbor {
    /** Address, or an interface name for FRR's `neighbor <ifname> interface` (seed 002). */
    address: string;
    /** A number, or FRR's `internal` / `external`. */
    remoteAs: number | "internal" | "external";
    routeReflectorClient?: boolean;
}

/** What the seed says about one router. Absent fields: the seed does not say. */
export interface SeedRouter {
    lines: Lines;
    name: string;
    flavour?: "frr" | "vyos";
    /** The image the seed runs (e.g. vyos/vyos:1.2.8). */
    image?: string;
    asn?: number;
    routerId?: string;
    /** Addresses on the loopback, with prefix length ([] when the seed's loopback has none). */
    loopbacks?: string[];
    /** Interface addresses with prefix length. */
    addresses?: string[];
    neighbors?: SeedNeighbor[];
    /** Prefixes announced with `network` (or `[]` with `redistribute connected` noted in `redistributeConnected`). */
    networks?: string[];
    redistributeConnected?: boolean;
    multipathRelax?: boolean;
    /** Prefixes routed to blackhole ([] when the seed shows the router's whole configuration and there is none). */
    blackholes?: string[];
    /** Neighbors or peer groups the router sends a default route (`default-originate`). */
    defaultOriginate?: string[];
    /** FRR's `frr defaults` profile. */
    frrDefaults?: string;
}

export interface SeedNode {
    lines: Lines;
    name: string;
    /** When the seed states the name only in parts (kind's `<cluster>-<suffix>`): the parts, joined by "-". */
    nameParts?: string[];
    role?: "control-plane" | "worker";
    /** Node address, without prefix length. */
    address?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    /** Default gateway the seed gives the node. */
    gateway?: string;
}

/** One row of an addressing table (seed 000). */
export interface SeedPrefix {
    lines: Lines;
    prefix: string;
    /** The plan role the row is: aggregate, service-cidr, pod-cidr, lb-pool, node-network, loopbacks, loopback. */
    role: string;
    /** The seed's own words for it. */
    use: string;
    /** For a loopback row: the router. */
    router?: string;
}

/**
 * A known difference: `where` + `path` name it exactly (as compare.ts reports it), `rendered` is
 * what the project renders there ("(absent)" when it renders nothing), `reason` says why it is
 * right or why it is still open. `kind`:
 * - obsolete: the seed's own syntax or field is gone from today's release;
 * - refused: the project refuses the seed's value on purpose (named rule);
 * - choice: the seed leaves it open or the value is deployment-specific, the project decides;
 * - stack: today's keys could express it but the stack file does not set it (yet);
 * - pending: a feature of issue 16 being built now; the entry goes when the feature merges;
 * - gap: no key expresses the seed's choice yet (the reason starts "gap:" and says what is missing).
 */
export interface AllowedDifference {
    where: string;
    path: string;
    rendered: unknown;
    kind: "obsolete" | "refused" | "choice" | "stack" | "pending" | "gap";
    reason: string;
}

export interface SeedData {
    /** "000" .. "004" */
    seed: string;
    /** File in ../shared/seeds/. */
    file: string;
    /** Stack file (relative to the project root) and the stack name it is rendered as. */
    stack: { file: string; name: string };
    objects: SeedObject[];
    routers: SeedRouter[];
    nodes: SeedNode[];
    addressPlan?: SeedPrefix[];
    /** Helm values the seed sets (flattened dotted keys -> value), with their lines. */
    helmValues?: { lines: Lines; values: Record<string, unknown> };
    /** Other facts the seed states that map to one rendered value each (cluster name, versions). */
    facts?: { lines: Lines; name: string; value: unknown }[];
    allowedDifferences: AllowedDifference[];
}

export const ABSENT = "(absent)";
