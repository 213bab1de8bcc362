/** The policy pack: `pulumi preview --policy-pack policy [--policy-pack-config policy/config.example.json]`. */
import { PolicyPack } from "@pulumi/policy";
import { packEnforcementLevel, policies } from "./rules";

new PolicyPack("cilium-bgp-fabric", { policies, enforcementLevel: packEnforcementLevel });
