/**
 * The namespace lab's files for a VyOS router: the FRR files its VyOS would run (frr.ts), in
 * the places the FRR routers' files have, so that VyOS routers start the same way.
 */
import { FRR_FILES, type FileSpec, VYOS_CONFIG_BOOT } from "../../components/routers/spec";
import { vyosFrrFiles } from "./frr";

/** Where the lab puts a VyOS router's keepalived.conf (VyOS: /run/keepalived/keepalived.conf). */
export const KEEPALIVED_CONF = "/run/keepalived/keepalived.conf";

export function vyosLabFiles(router: string, uploads: FileSpec[], interfaceAddresses: string[]): FileSpec[] {
    const boot = uploads.find((f) => f.file === VYOS_CONFIG_BOOT);
    if (!boot) throw new Error(`router ${router}: the program registered no ${VYOS_CONFIG_BOOT} upload`);
    const f = vyosFrrFiles(boot.content, { router, interfaceAddresses });
    return [
        { file: FRR_FILES.config, content: f.frrConf, permissions: "0640" },
        { file: FRR_FILES.daemons, content: f.daemons, permissions: "0640" },
        { file: FRR_FILES.vtysh, content: f.vtyshConf, permissions: "0640" },
        ...(f.keepalivedConf !== undefined ? [{ file: KEEPALIVED_CONF, content: f.keepalivedConf, permissions: "0640" }] : []),
    ];
}
