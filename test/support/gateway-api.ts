/**
 * Validation against the Gateway API project's standard-channel CRDs in
 * ../shared/reference/gateway-api/<release>/ (never copied into the project), with the same
 * validator as the Cilium CRDs: the v1 schema through ajv (unknown fields rejected), schema
 * defaults applied first as the API server does, and the CEL rules of the fields this project
 * renders as hand-written checks. A CEL rule without a check fails validation loudly.
 */
import * as fs from "fs";
import * as path from "path";
import { type CelCheck, CrdValidator } from "./crd";
import { referencePath } from "../../reference/locate";
import { GATEWAY_API_RELEASE_FOR_CILIUM_LINE } from "../../reference/gateway-api-releases";

export const GATEWAY_API_REFERENCE = referencePath("gateway-api");

/** Releases present in the reference data (v1.1.0 ...). */
export const gatewayApiReleases = (): string[] =>
    fs.readdirSync(GATEWAY_API_REFERENCE).filter((d) => /^v\d+\.\d+\.\d+$/.test(d)).sort();

export function gatewayApiCrdFiles(release: string): string[] {
    const dir = path.join(GATEWAY_API_REFERENCE, release, "standard");
    if (!fs.existsSync(dir)) throw new Error(`no reference Gateway API CRDs for ${release} in ${GATEWAY_API_REFERENCE}`);
    return fs.readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort().map((f) => path.join(dir, f));
}

/**
 * The Cilium line -> Gateway API release table kept with the reference data's pins
 * (reference/gateway-api-releases.ts, from Cilium's go.mod), not the program's defaults, so that a
 * test compares the defaults with the reference rather than with themselves.
 */
export const gatewayApiReleaseTable = (): Record<string, string> => ({ ...GATEWAY_API_RELEASE_FOR_CILIUM_LINE });

/** The same table as ../shared/README.md states it (section reference/gateway-api/). */
export function gatewayApiTableInReadme(readme: string): Record<string, string> {
    const section = readme.slice(readme.indexOf("## reference/gateway-api/"));
    const out: Record<string, string> = {};
    for (const m of section.matchAll(/^\|\s*(1\.\d+)\s*\|\s*(v\d+\.\d+\.\d+)/gm)) out[m[1]] = m[2];
    return out;
}

// ---- CEL -------------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const isObj = (o: unknown): o is Json => typeof o === "object" && o !== null && !Array.isArray(o);
const has = (o: unknown, k: string): boolean => isObj(o) && Object.prototype.hasOwnProperty.call(o, k);
const get = (o: unknown, k: string): unknown => (has(o, k) ? (o as Json)[k] : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const size = (v: unknown): number => (Array.isArray(v) || typeof v === "string" ? v.length : isObj(v) ? Object.keys(v).length : 0);
const existsOne = (items: unknown[], pred: (x: unknown) => boolean): boolean => items.filter(pred).length === 1;
const str = (v: unknown): string => (typeof v === "string" ? v : "");

const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;

/** Same address type and value (`has` variants treat an absent value as not comparable). */
const uniqueAddresses = (type: string, needValue: boolean): CelCheck => (self) => list(self).every((a1) =>
    (get(a1, "type") === type && (!needValue || has(a1, "value")))
        ? existsOne(list(self), (a2) => get(a2, "type") === get(a1, "type") && (!needValue || has(a2, "value")) && get(a2, "value") === get(a1, "value"))
        : true);

const emptyOrAbsent = (o: unknown, k: string): boolean => !has(o, k) || get(o, k) === "";
/** parentRefs identity: group, kind, name, namespace (absent and "" alike). */
const sameParent = (p1: unknown, p2: unknown): boolean =>
    get(p1, "group") === get(p2, "group") && get(p1, "kind") === get(p2, "kind") && get(p1, "name") === get(p2, "name")
    && ((emptyOrAbsent(p1, "namespace") && emptyOrAbsent(p2, "namespace")) || (has(p1, "namespace") && has(p2, "namespace") && get(p1, "namespace") === get(p2, "namespace")));

/** A rule's backendRefs/filters with a ReplacePrefixMatch path of the given filter kind. */
const prefixRewrite = (filters: unknown, kind: "requestRedirect" | "urlRewrite"): boolean => existsOne(list(filters), (f) =>
    has(f, kind) && has(get(f, kind), "path") && get(get(get(f, kind), "path"), "type") === "ReplacePrefixMatch" && has(get(get(f, kind), "path"), "replacePrefixMatch"));
/** The rule has exactly one match, a PathPrefix one (what a prefix rewrite needs). */
const singlePrefixMatch = (rule: unknown): boolean => {
    const matches = list(get(rule, "matches"));
    return matches.length === 1 && has(matches[0], "path") && get(get(matches[0], "path"), "type") === "PathPrefix";
};
const pathRule = (test: (value: string) => boolean): CelCheck => (self) =>
    !["Exact", "PathPrefix"].includes(str(get(self, "type"))) || test(str(get(self, "value")));

/** Every CEL rule of the Gateway API CRDs on the fields this project renders (v1.1.0 to v1.5.1). */
export const GATEWAY_API_CEL_RULES: Record<string, CelCheck> = {
    // Gateway spec.addresses
    "self.type == 'Hostname' ? self.value.matches(r\"\"\"^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$\"\"\"): true":
        (s) => get(s, "type") !== "Hostname" || HOSTNAME.test(str(get(s, "value"))),
    "self.type == 'Hostname' ? (!has(self.value) || self.value.matches(r\"\"\"^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$\"\"\")): true":
        (s) => get(s, "type") !== "Hostname" || !has(s, "value") || HOSTNAME.test(str(get(s, "value"))),
    "self.all(a1, a1.type == 'IPAddress' ? self.exists_one(a2, a2.type == a1.type && a2.value == a1.value) : true )": uniqueAddresses("IPAddress", false),
    "self.all(a1, a1.type == 'Hostname' ? self.exists_one(a2, a2.type == a1.type && a2.value == a1.value) : true )": uniqueAddresses("Hostname", false),
    "self.all(a1, a1.type == 'IPAddress' && has(a1.value) ? self.exists_one(a2, a2.type == a1.type && has(a2.value) && a2.value == a1.value) : true )": uniqueAddresses("IPAddress", true),
    "self.all(a1, a1.type == 'Hostname'  && has(a1.value) ? self.exists_one(a2, a2.type == a1.type && has(a2.value) && a2.value == a1.value) : true )": uniqueAddresses("Hostname", true),
    // Gateway spec.infrastructure.labels / annotations (keys)
    "self.all(key, key.matches(r\"\"\"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$\"\"\"))":
        (s) => Object.keys(isObj(s) ? s : {}).every((k) => LABEL_KEY.test(k)),
    "self.all(key, key.split(\"/\")[0].size() < 253)": (s) => Object.keys(isObj(s) ? s : {}).every((k) => k.split("/")[0].length < 253),
    // Gateway spec.listeners
    "self.all(l, l.protocol in ['HTTP', 'TCP', 'UDP'] ? !has(l.tls) : true)":
        (s) => list(s).every((l) => !["HTTP", "TCP", "UDP"].includes(str(get(l, "protocol"))) || !has(l, "tls")),
    "self.all(l, (l.protocol == 'HTTPS' && has(l.tls)) ? (l.tls.mode == '' || l.tls.mode == 'Terminate') : true)":
        (s) => list(s).every((l) => !(get(l, "protocol") === "HTTPS" && has(l, "tls")) || ["", "Terminate"].includes(str(get(get(l, "tls"), "mode")))),
    "self.all(l, (l.protocol == 'TLS' ? has(l.tls) && has(l.tls.mode) && l.tls.mode != '' : true))":
        (s) => list(s).every((l) => get(l, "protocol") !== "TLS" || (has(l, "tls") && has(get(l, "tls"), "mode") && get(get(l, "tls"), "mode") !== "")),
    "self.all(l, l.protocol in ['TCP', 'UDP']  ? (!has(l.hostname) || l.hostname == '') : true)":
        (s) => list(s).every((l) => !["TCP", "UDP"].includes(str(get(l, "protocol"))) || emptyOrAbsent(l, "hostname")),
    "self.all(l1, self.exists_one(l2, l1.name == l2.name))": (s) => list(s).every((l1) => existsOne(list(s), (l2) => get(l1, "name") === get(l2, "name"))),
    "self.all(l1, self.exists_one(l2, l1.port == l2.port && l1.protocol == l2.protocol && (has(l1.hostname) && has(l2.hostname) ? l1.hostname == l2.hostname : !has(l1.hostname) && !has(l2.hostname))))":
        (s) => list(s).every((l1) => existsOne(list(s), (l2) => get(l1, "port") === get(l2, "port") && get(l1, "protocol") === get(l2, "protocol")
            && (has(l1, "hostname") && has(l2, "hostname") ? get(l1, "hostname") === get(l2, "hostname") : !has(l1, "hostname") && !has(l2, "hostname")))),
    "self.mode == 'Terminate' ? size(self.certificateRefs) > 0 || size(self.options) > 0 : true":
        (s) => get(s, "mode") !== "Terminate" || size(get(s, "certificateRefs")) > 0 || size(get(s, "options")) > 0,
    // HTTPRoute spec.parentRefs
    "self.all(p1, self.all(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) ? ((!has(p1.sectionName) || p1.sectionName == '') == (!has(p2.sectionName) || p2.sectionName == '')) : true))":
        (s) => list(s).every((p1) => list(s).every((p2) => !sameParent(p1, p2) || emptyOrAbsent(p1, "sectionName") === emptyOrAbsent(p2, "sectionName"))),
    "self.all(p1, self.exists_one(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ == p2.__namespace__ )) && (((!has(p1.sectionName) || p1.sectionName == '') && (!has(p2.sectionName) || p2.sectionName == '')) || (has(p1.sectionName) && has(p2.sectionName) && p1.sectionName == p2.sectionName))))":
        (s) => list(s).every((p1) => existsOne(list(s), (p2) => sameParent(p1, p2)
            && ((emptyOrAbsent(p1, "sectionName") && emptyOrAbsent(p2, "sectionName")) || (has(p1, "sectionName") && has(p2, "sectionName") && get(p1, "sectionName") === get(p2, "sectionName"))))),
    // HTTPRoute spec.rules (each rule)
    "(has(self.backendRefs) && self.backendRefs.exists_one(b, (has(b.filters) && b.filters.exists_one(f, has(f.requestRedirect) && has(f.requestRedirect.path) && f.requestRedirect.path.type == 'ReplacePrefixMatch' && has(f.requestRedirect.path.replacePrefixMatch))) )) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true":
        (s) => !(has(s, "backendRefs") && existsOne(list(get(s, "backendRefs")), (b) => has(b, "filters") && prefixRewrite(get(b, "filters"), "requestRedirect"))) || singlePrefixMatch(s),
    "(has(self.backendRefs) && self.backendRefs.exists_one(b, (has(b.filters) && b.filters.exists_one(f, has(f.urlRewrite) && has(f.urlRewrite.path) && f.urlRewrite.path.type == 'ReplacePrefixMatch' && has(f.urlRewrite.path.replacePrefixMatch))) )) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true":
        (s) => !(has(s, "backendRefs") && existsOne(list(get(s, "backendRefs")), (b) => has(b, "filters") && prefixRewrite(get(b, "filters"), "urlRewrite"))) || singlePrefixMatch(s),
    "(has(self.backendRefs) && size(self.backendRefs) > 0) ? (!has(self.filters) || self.filters.all(f, !has(f.requestRedirect))): true":
        (s) => !(has(s, "backendRefs") && size(get(s, "backendRefs")) > 0) || !has(s, "filters") || list(get(s, "filters")).every((f) => !has(f, "requestRedirect")),
    "(has(self.filters) && self.filters.exists_one(f, has(f.requestRedirect) && has(f.requestRedirect.path) && f.requestRedirect.path.type == 'ReplacePrefixMatch' && has(f.requestRedirect.path.replacePrefixMatch))) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true":
        (s) => !(has(s, "filters") && prefixRewrite(get(s, "filters"), "requestRedirect")) || singlePrefixMatch(s),
    "(has(self.filters) && self.filters.exists_one(f, has(f.urlRewrite) && has(f.urlRewrite.path) && f.urlRewrite.path.type == 'ReplacePrefixMatch' && has(f.urlRewrite.path.replacePrefixMatch))) ? ((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != 'PathPrefix') ? false : true) : true":
        (s) => !(has(s, "filters") && prefixRewrite(get(s, "filters"), "urlRewrite")) || singlePrefixMatch(s),
    // HTTPRoute spec.rules (the list): at most 128 matches over the first 16 rules
    [Array.from({ length: 16 }, (_, i) => `(self.size() > ${i} ? self[${i}].matches.size() : 0)`).join(" + ") + " <= 128"]:
        (s) => list(s).slice(0, 16).reduce((n: number, r) => n + size(get(r, "matches")), 0) <= 128,
    "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true":
        (s) => !(size(get(s, "group")) === 0 && get(s, "kind") === "Service") || has(s, "port"),
    // HTTPRoute spec.rules[].matches[].path
    "self.type in ['Exact','PathPrefix'] || self.type == 'RegularExpression'": (s) => ["Exact", "PathPrefix", "RegularExpression"].includes(str(get(s, "type"))),
    "(self.type in ['Exact','PathPrefix']) ? self.value.startsWith('/') : true": pathRule((v) => v.startsWith("/")),
    "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('//') : true": pathRule((v) => !v.includes("//")),
    "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('/./') : true": pathRule((v) => !v.includes("/./")),
    "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('/../') : true": pathRule((v) => !v.includes("/../")),
    "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('%2f') : true": pathRule((v) => !v.includes("%2f")),
    "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('%2F') : true": pathRule((v) => !v.includes("%2F")),
    "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('#') : true": pathRule((v) => !v.includes("#")),
    "(self.type in ['Exact','PathPrefix']) ? !self.value.endsWith('/..') : true": pathRule((v) => !v.endsWith("/..")),
    "(self.type in ['Exact','PathPrefix']) ? !self.value.endsWith('/.') : true": pathRule((v) => !v.endsWith("/.")),
    "(self.type in ['Exact','PathPrefix']) ? self.value.matches(r\"\"\"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$\"\"\") : true": pathRule((v) => PATH_CHARS.test(v)),
};

const validators = new Map<string, CrdValidator>();

/** A validator for the standard-channel CRDs of one Gateway API release (defaults applied, CEL checked). */
export function gatewayApiValidatorFor(release: string): CrdValidator {
    let v = validators.get(release);
    if (!v) {
        v = new CrdValidator(`Gateway API ${release}`, gatewayApiCrdFiles(release), false, { celRules: GATEWAY_API_CEL_RULES, applyDefaults: true });
        validators.set(release, v);
    }
    return v;
}
