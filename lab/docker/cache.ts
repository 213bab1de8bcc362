/** Where the Docker lab keeps what is worth keeping between runs: root filesystems and the private daemon's images. */
import * as os from "os";
import * as path from "path";

/** `$CBF_CACHE_DIR`, else `$XDG_CACHE_HOME/cilium-bgp-fabric`, else `~/.cache/cilium-bgp-fabric`. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
    if (env.CBF_CACHE_DIR) return path.resolve(env.CBF_CACHE_DIR);
    const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), ".cache");
    return path.join(base, "cilium-bgp-fabric");
}
