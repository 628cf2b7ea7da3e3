// A service whose constructor throws, as one whose model file is missing: it never starts.
export const BROKEN_SERVICE = (options: string) => `
import { api, service } from "bentoc";

@service(${options})
export class Broken {
  constructor() {
    throw new Error("the model file is missing");
  }

  @api()
  async hello(): Promise<string> {
    return "never";
  }
}
`;
