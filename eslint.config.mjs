// ESLint flat config: TypeScript-aware recommended rules; `any` is an error outside tests.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/**", "dist/**", "out/**", "policy/node_modules/**", "scratch/**", "**/*.js", "**/*.mjs"] },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-explicit-any": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
        },
    },
    {
        files: ["test/**/*.ts", "**/*.test.ts"],
        rules: { "@typescript-eslint/no-non-null-assertion": "off" },
    },
);
