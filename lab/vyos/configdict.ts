/**
 * The config dicts a VyOS commit hands to its templates, built from a router's config.boot the
 * way vyos-1x builds them (commit in ../shared/reference/vyos/frr-templates/COMMIT):
 *
 * | step | vyos-1x source |
 * |---|---|
 * | config tree -> nested dict (tag node -> {value: {...}}, valueless leaf -> {}, leaf -> str) | python/vyos/config.py `Config.get_cached_root_dict` (`ConfigTree.to_json`, python/vyos/configtree.py) |
 * | multi leaves always lists | python/vyos/xml_ref/definition.py `Xml.multi_to_list` |
 * | sub-dict of a path, `get_first_key` | python/vyos/utils/dict.py `get_sub_dict` / `_get_sub_dict` |
 * | key mangling `-` -> `_`, tag values kept (`no_tag_node_value_mangle`) | python/vyos/utils/dict.py `mangle_dict_keys` |
 * | XML `defaultValue`s, recursive; tag nodes only where the config has an instance | python/vyos/xml_ref/definition.py `get_defaults`, `_relative_defaults`, `relative_defaults` |
 * | defaults merged under the config (config wins) | python/vyos/xml_ref/definition.py `source_dict_merge` (via config.py `config_dict_merge`, `Config.merge_defaults`) |
 * | `dict_merge` of the policy dict | python/configdict.py `dict_merge` |
 * | what each conf script asks for | python/protocols_bgp.py `get_config`; src/conf_mode/policy.py, protocols_static.py `get_config` |
 *
 * Pure: the same config.boot gives the same dicts (key order as VyOS's: config order, then defaults;
 * JavaScript puts integer keys first, in ascending order, which only rule numbers are, and config.boot
 * has them in that order already).
 */
import { vyosWords } from "../../components/routers/vyosboot";
import { resolveCommand, fullSchema } from "../../test/vyos/checker";
import type { SchemaNode } from "../../test/vyos/schema";

export type ConfigValue = string | string[] | ConfigDict;
export interface ConfigDict { [key: string]: ConfigValue }

const isDict = (v: ConfigValue | undefined): v is ConfigDict => typeof v === "object" && v !== null && !Array.isArray(v);

/** config.boot as `set` commands: every node opened and every leaf gives one (empty nodes are kept). */
export function configBootCommands(text: string): string[] {
    const path: string[] = [];
    const depth: number[] = [];
    const out: string[] = [];
    const quote = (w: string): string => `"${w.replace(/\\/g, "\\\\").replace(/"/g, "\\\"")}"`;
    for (const raw of text.split("\n")) {
        const line = raw.trim();
        if (line === "" || line.startsWith("//") || line.startsWith("/*")) continue;
        if (line === "}") { path.splice(path.length - (depth.pop() ?? 0)); continue; }
        const opens = line.endsWith("{");
        const w = vyosWords(line.replace(/\s*\{$/, ""));
        if (opens) { path.push(...w); depth.push(w.length); out.push(["set", ...path].map(quote).join(" ")); continue; }
        out.push(["set", ...path, ...w].map(quote).join(" "));
    }
    return out;
}

/** The root dict of the configuration tree (what vyos.configtree gives Config), multi leaves as lists. */
export function configTree(commands: string[], schema: SchemaNode = fullSchema()): ConfigDict {
    const root: ConfigDict = {};
    for (const command of commands) {
        const steps = resolveCommand(schema, command);
        if (typeof steps === "string") throw new Error(`VyOS config: ${steps}: ${command}`);
        let cur = root;
        let node = schema;
        for (const s of steps) {
            node = node.children.get(s.word) as SchemaNode;
            if (s.kind === "leaf") {
                if (node.valueless) { cur[s.word] ??= {}; break; }
                const v = s.value as string;
                if (node.multi) {
                    const list = (cur[s.word] as string[] | undefined) ?? [];
                    if (!list.includes(v)) list.push(v);
                    cur[s.word] = list;
                } else {
                    if (typeof cur[s.word] === "string" && cur[s.word] !== v) throw new Error(`VyOS config: '${s.word}' set twice: ${command}`);
                    cur[s.word] = v;
                }
                break;
            }
            const next = (cur[s.word] ??= {}) as ConfigDict;
            cur = s.kind === "tag" ? ((next[s.value as string] ??= {}) as ConfigDict) : next;
        }
    }
    return root;
}

/** definition.py `_get_ref_path`: the definition of a config path (tag values skipped). */
function refPath(schema: SchemaNode, path: string[]): SchemaNode | undefined {
    let d: SchemaNode | undefined = schema;
    const p = [...path];
    while (p.length && d) {
        d = d.children.get(p.shift() as string);
        if (d?.kind === "tag" && p.length) p.shift();
    }
    return d;
}

/** definition.py `is_tag`: the path ends at a tag node (not at one of its values). */
function isTag(schema: SchemaNode, path: string[]): boolean {
    let d: SchemaNode | undefined = schema;
    const p = [...path];
    while (p.length && d) {
        d = d.children.get(p.shift() as string);
        if (d?.kind === "tag" && p.length) {
            if (p.length === 1) return false;
            p.shift();
        }
    }
    return d?.kind === "tag";
}

const isTagValue = (schema: SchemaNode, path: string[]): boolean => path.length >= 2 && isTag(schema, path.slice(0, -1));

/** definition.py `_get_default`: multi leaves split on whitespace. */
const defaultOf = (n: SchemaNode): ConfigValue | undefined =>
    n.defaultValue === undefined ? undefined : n.multi ? n.defaultValue.split(/\s+/) : n.defaultValue;

/** definition.py `get_defaults`: never descends into a tag node (no value known). */
function getDefaults(schema: SchemaNode, path: string[], getFirstKey: boolean, recursive: boolean): ConfigDict {
    if (isTag(schema, path)) return {};
    const d = refPath(schema, path);
    if (!d) return {};
    if (d.kind === "leaf") {
        const v = defaultOf(d);
        if (v !== undefined) return path.length ? { [path[path.length - 1]]: v } : {};
    }
    let res: ConfigDict = {};
    for (const [k, c] of d.children) {
        if (c.kind === "leaf") {
            const v = defaultOf(c);
            if (v !== undefined) res[k] = v;
        } else if (isTag(schema, [...path, k])) {
            // tag node defaults are suggestions, not default values (definition.py)
        } else if (recursive) {
            res = { ...res, ...getDefaults(schema, [...path, k], false, true) };
        }
    }
    if (Object.keys(res).length === 0) return {};
    return getFirstKey || path.length === 0 ? res : { [path[path.length - 1]]: res };
}

/** definition.py `_relative_defaults`: defaults along every path the config has (tag instances included). */
function relativeDefaultsInner(schema: SchemaNode, rpath: string[], conf: ConfigDict, recursive: boolean): ConfigDict {
    let res = getDefaults(schema, rpath, true, recursive);
    for (const [k, v] of Object.entries(conf)) {
        // Python's `res |= step`: a shallow merge.
        if (isDict(v)) res = { ...res, ...relativeDefaultsInner(schema, [...rpath, k], v, recursive) };
    }
    if (Object.keys(res).length === 0) return {};
    return rpath.length ? { [rpath[rpath.length - 1]]: res } : res;
}

/** definition.py `relative_defaults` (the config dicts here are always well defined). */
function relativeDefaults(schema: SchemaNode, path: string[], conf: ConfigDict, getFirstKey: boolean, recursive: boolean): ConfigDict {
    if (Object.keys(conf).length === 0) return getDefaults(schema, path, getFirstKey, recursive);
    const res = relativeDefaultsInner(schema, path, conf, recursive);
    if (getFirstKey && path.length) {
        const first = Object.values(res)[0];
        return isDict(first) ? first : {};
    }
    return res;
}

/** utils/dict.py `mangle_dict_keys`. */
function mangleKeys(schema: SchemaNode, data: ConfigDict, absPath: string[], noTagValueMangle: boolean): ConfigDict {
    const out: ConfigDict = {};
    for (const [k, v] of Object.entries(data)) {
        const key = noTagValueMangle && isTagValue(schema, [...absPath, k]) ? k : k.replace(/-/g, "_");
        out[key] = isDict(v) ? mangleKeys(schema, v, [...absPath, k], noTagValueMangle) : v;
    }
    return out;
}

/** utils/dict.py `get_sub_dict`. */
function getSubDict(source: ConfigDict, lpath: string[], getFirstKey: boolean): ConfigDict {
    if (lpath.length === 0) return source;
    let d: ConfigDict = source;
    let ret: ConfigDict = {};
    for (const [i, k] of lpath.entries()) {
        if (!(k in d)) return {};
        ret = { [k]: d[k] };
        if (i < lpath.length - 1) {
            if (!isDict(d[k])) return {};
            d = d[k] as ConfigDict;
        }
    }
    if (getFirstKey) {
        const first = Object.values(ret)[0];
        if (!isDict(first)) throw new Error(`data under ${lpath.join(" ")} is not a node`);
        return first;
    }
    return ret;
}

const clone = (v: ConfigValue): ConfigValue => (Array.isArray(v) ? [...v] : isDict(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)])) : v);

/** definition.py `source_dict_merge`: keys of src missing from dest are added; dest wins. */
export function sourceDictMerge(src: ConfigDict, dest: ConfigDict): ConfigDict {
    const out = clone(dest) as ConfigDict;
    for (const [k, v] of Object.entries(src)) {
        if (!(k in out)) out[k] = clone(v);
        else if (isDict(v) && isDict(out[k])) out[k] = sourceDictMerge(v, out[k] as ConfigDict);
    }
    return out;
}

/** python/configdict.py `dict_merge` (same rule as source_dict_merge). */
export const dictMerge = sourceDictMerge;

export interface ConfigDictOptions {
    keyMangling?: boolean;
    getFirstKey?: boolean;
    noTagNodeValueMangle?: boolean;
    withRecursiveDefaults?: boolean;
    /** config.py `with_defaults`: defaults only along the paths the config has (recursive=False). */
    withDefaults?: boolean;
}

/** config.py `Config.get_config_defaults`: the defaults along the config's paths, mangled like the dict. */
export function configDefaults(root: ConfigDict, path: string[], o: ConfigDictOptions = {}, schema: SchemaNode = fullSchema(), recursive = true): ConfigDict {
    const getFirstKey = o.getFirstKey ?? false;
    const defaults = relativeDefaults(schema, path, getSubDict(root, path, getFirstKey), getFirstKey, recursive);
    return o.keyMangling ? mangleKeys(schema, defaults, getFirstKey ? path : path.slice(0, -1), o.noTagNodeValueMangle ?? false) : defaults;
}

/** config.py `Config.get_config_dict` (`withRecursiveDefaults`: its `config_dict_merge` of configDefaults). */
export function getConfigDict(root: ConfigDict, path: string[], o: ConfigDictOptions = {}, schema: SchemaNode = fullSchema()): ConfigDict {
    const getFirstKey = o.getFirstKey ?? false;
    let conf = getSubDict(root, path, getFirstKey);
    if (o.keyMangling) conf = mangleKeys(schema, conf, getFirstKey ? path : path.slice(0, -1), o.noTagNodeValueMangle ?? false);
    if (o.withRecursiveDefaults) return sourceDictMerge(configDefaults(root, path, o, schema), conf);
    return o.withDefaults ? sourceDictMerge(configDefaults(root, path, o, schema, false), conf) : conf;
}

const exists = (root: ConfigDict, path: string[]): boolean => Object.keys(getSubDict(root, path, false)).length > 0;

const MANGLED: ConfigDictOptions = { keyMangling: true, getFirstKey: true, noTagNodeValueMangle: true };

/**
 * protocols_bgp.py `get_config` in the default VRF on a first commit: the BGP dict, its
 * `dependent_vrfs` (no `vrf name` nodes: {}), no `interface_removed` (nothing was there
 * before), recursive defaults, and the unmangled policy dict merged in (for verify()).
 */
export function bgpConfigDict(root: ConfigDict, schema: SchemaNode = fullSchema()): ConfigDict {
    const base = ["protocols", "bgp"];
    let bgp = getConfigDict(root, base, MANGLED, schema);
    bgp.dependent_vrfs = getConfigDict(root, ["vrf", "name"], MANGLED, schema);
    if (!exists(root, base)) return { ...bgp, deleted: "" };
    // `conf.merge_defaults(bgp, recursive=True)`
    bgp = sourceDictMerge(configDefaults(root, base, MANGLED, schema), bgp);
    return dictMerge(getConfigDict(root, ["policy"], {}, schema), bgp);
}

/**
 * src/conf_mode/protocols_static.py `get_config` (default VRF): the static dict with the
 * unmangled policy dict merged in; no `dhcp`/`pppoe` keys (no interface uses DHCP or PPPoE).
 */
export function staticConfigDict(root: ConfigDict, schema: SchemaNode = fullSchema()): ConfigDict {
    return dictMerge(getConfigDict(root, ["policy"], {}, schema), getConfigDict(root, ["protocols", "static"], MANGLED, schema));
}

/**
 * src/conf_mode/high-availability.py `get_config`: `high-availability` with_defaults (not recursive),
 * mangled, first key; no conntrack-sync group, no snmp change. Then what its verify() does to the dict:
 * `_validate_health_check` drops a health-check that has neither script nor ping (none here: with
 * non-recursive defaults it only exists when configured). None when the node is absent.
 */
export function haConfigDict(root: ConfigDict, schema: SchemaNode = fullSchema()): ConfigDict | undefined {
    if (!exists(root, ["high-availability"])) return undefined;
    return getConfigDict(root, ["high-availability"], { ...MANGLED, withDefaults: true }, schema);
}

/** src/conf_mode/policy.py `get_config`: the policy dict with the (mangled) protocols dict merged in. */
export function policyConfigDict(root: ConfigDict, schema: SchemaNode = fullSchema()): ConfigDict {
    const protocols = getConfigDict(root, ["protocols"], { keyMangling: true, noTagNodeValueMangle: true }, schema);
    return dictMerge(protocols, getConfigDict(root, ["policy"], MANGLED, schema));
}
