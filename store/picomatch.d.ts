// picomatch ships no types; this is the one call store/huggingface.ts makes.
declare module "picomatch/posix.js" {
  function picomatch(glob: string | readonly string[], options?: { dot?: boolean }): (candidate: string) => boolean;
  export default picomatch;
}
