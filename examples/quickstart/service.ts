import { api, service, type Context, type int32 } from "bentoc";

/** Sentiment of a text, with the model's confidence. */
export interface Sentiment {
  label: "positive" | "negative" | "neutral";
  /** @minimum 0 @maximum 1 */
  score: number;
}

/** A file's size and checksum. */
export interface FileDigest {
  name: string;
  bytes: int32;
  sha256: string;
}

const POSITIVE = ["good", "great", "love", "excellent", "happy"];
const NEGATIVE = ["bad", "awful", "hate", "terrible", "sad"];

/** A small text service: a unary JSON API, a streaming API and a file API. */
@service({ workers: 1, traffic: { timeout: 30, maxConcurrency: 32 } })
export class Quickstart {
  /**
   * Classifies the sentiment of a text by counting known words.
   * @param text The text to classify.
   */
  @api()
  async sentiment(/** @minLength 1 @maxLength 10000 */ text: string): Promise<Sentiment> {
    const words = text.toLowerCase().split(/\W+/);
    const balance = words.filter((w) => POSITIVE.includes(w)).length - words.filter((w) => NEGATIVE.includes(w)).length;
    const label = balance > 0 ? "positive" : balance < 0 ? "negative" : "neutral";
    return { label, score: Math.min(1, 0.5 + Math.abs(balance) / 4) };
  }

  /** Streams the words of a prompt back, one event per word. */
  @api()
  async *echo(prompt: string, /** @minimum 0 @maximum 1000 */ delayMs: int32 = 50, ctx?: Context): AsyncGenerator<string> {
    for (const word of prompt.split(/\s+/).filter(Boolean)) {
      if (ctx?.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      yield word;
    }
  }

  /** Returns the size and SHA-256 of an uploaded file. */
  @api()
  async digest(file: File): Promise<FileDigest> {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const hash = await crypto.subtle.digest("SHA-256", bytes);
    const hex = Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, "0")).join("");
    return { name: file.name, bytes: bytes.length, sha256: hex };
  }
}
