/**
 * Which FRR the lab runs against which FRR the program deploys: the lab starts Debian's
 * /usr/lib/frr daemons (netns engine; the Docker engine's images are built from the same Debian
 * packages), while the RouterFleet registers the routers' image (FRR 10.2.1 by default). The
 * rendered configuration uses only commands both versions define (test/frr-versions.test.ts).
 */
import { spawnSync } from "child_process";

export interface FrrVersions {
    /** The FRR images the program registers for this stack's FRR routers. */
    deployed: string[];
    /** `bgpd --version` of the FRR the lab runs, or why it is unknown. */
    lab: string;
    /** One line for the log, naming the difference (or that there is none). */
    note: string;
}

export function labFrrVersion(bgpd = "/usr/lib/frr/bgpd"): string {
    const r = spawnSync(bgpd, ["--version"], { encoding: "utf8" });
    return /version (\S+)/.exec(r.stdout ?? "")?.[1] ?? "unknown (no bgpd)";
}

const imageVersion = (image: string): string => /:([^:/]+)$/.exec(image)?.[1] ?? image;

export function frrVersions(images: string[], lab = labFrrVersion()): FrrVersions {
    const deployed = [...new Set(images)].sort();
    const same = deployed.length > 0 && deployed.every((i) => imageVersion(i) === lab);
    const note = same
        ? `lab: FRR ${lab}, the version the program deploys`
        : `lab: runs FRR ${lab} (Debian); the program deploys ${deployed.join(", ") || "no FRR image"}: the rendered commands exist in both (checked against FRR's command definitions)`;
    return { deployed, lab, note };
}
