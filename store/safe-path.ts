/**
 * Why a "/"-separated path from outside (an archive entry, a file name the Hub lists) may
 * not be written under a target directory, or undefined when it may: relative, no ".."
 * segment, no backslash (a separator on Windows), no NUL.
 */
export function relativePathProblem(candidate: string): string | undefined {
  if (candidate === "" || candidate.includes("\0")) return "an entry has an empty or invalid path";
  if (candidate.startsWith("/") || /^[A-Za-z]:/.test(candidate)) return `${JSON.stringify(candidate)} is an absolute path`;
  if (candidate.includes("\\")) return `${JSON.stringify(candidate)} contains a backslash`;
  if (candidate.split("/").includes("..")) return `${JSON.stringify(candidate)} contains ".."`;
  return undefined;
}
