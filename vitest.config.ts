import { transform } from "esbuild";
import { defineConfig, type Plugin } from "vitest/config";

// Vite 8 transforms TypeScript with Oxc, which does not lower TC39 decorators yet
// (oxc-project/oxc#9170); esbuild does, so decorated sources go through it first.
const standardDecorators: Plugin = {
  name: "bentoc:standard-decorators",
  enforce: "pre",
  async transform(code, id) {
    if (!/\.[cm]?ts$/.test(id) || !/^\s*@\w/m.test(code)) return undefined;
    const result = await transform(code, {
      loader: "ts",
      format: "esm",
      target: "es2022",
      sourcemap: true,
      sourcefile: id,
      tsconfigRaw: { compilerOptions: { experimentalDecorators: false, useDefineForClassFields: true } },
    });
    return { code: result.code, map: result.map };
  },
};

export default defineConfig({
  plugins: [standardDecorators],
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
