// How one process of a bento is told which service to serve and where its dependencies are:
// shared by the runtime (which reads these variables) and the generators (which set them in
// Kubernetes manifests).

/** Serve only this service of the bento. */
export const SERVICE_ENV = "BENTOC_SERVICE";

/** `BENTOC_DEPENDENCY_<NAME>_URL`: the base URL of a dependency served elsewhere; the service's name upper-cased, other characters `_`. */
export function dependencyUrlVariable(serviceName: string): string {
  return `BENTOC_DEPENDENCY_${serviceName.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_URL`;
}
