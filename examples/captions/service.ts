import { api, NotFound, service, TooManyRequests, type Context } from "bentoc";

/** One line a speaker said, as a transcriber hands it over. */
export interface Utterance {
  /** @minLength 1 @maxLength 500 */
  text: string;
  at: Date;
}

/** A caption to show: the text cleaned up, and when it was said relative to the first line. */
export interface Caption {
  text: string;
  /** Seconds since the first utterance of the session. */
  offset: number;
}

export interface Language {
  code: string;
  name: string;
}

const LANGUAGES: Record<string, string> = { en: "English", fr: "French", de: "German" };
/** Captions a session may ask for before it is told to wait: a quota of this example's own. */
const SESSION_QUOTA = 1000;

/** A caller asked for more captions than its quota allows: a 429 with a code a client can act on. */
export class QuotaExceeded extends TooManyRequests {
  constructor(used: number) {
    super(`this session used its ${SESSION_QUOTA} captions`, { code: "quota_exhausted", details: { used, quota: SESSION_QUOTA }, retryAfterS: 60 });
  }
}

/** Live captions: a language lookup that answers errors of its own, and a WebSocket that captions as people speak. */
@service({ traffic: { timeout: 30 } })
export class Captions {
  /**
   * The language a caption model speaks.
   * @throws {NotFound} when there is no model for that language
   */
  @api()
  async language(code: string): Promise<Language> {
    const name = LANGUAGES[code];
    if (!name) throw new NotFound(`no caption model for '${code}'`, { code: "no_such_language", details: { known: Object.keys(LANGUAGES) } });
    return { code, name };
  }

  /**
   * Captions each utterance as it arrives, over one WebSocket.
   * @throws {QuotaExceeded} when the session has used its quota
   */
  @api()
  async *caption(utterances: AsyncIterable<Utterance>, ctx: Context): AsyncGenerator<Caption> {
    let first: Date | undefined;
    let used = 0;
    for await (const utterance of utterances) {
      if (ctx.signal.aborted) return;
      if (++used > SESSION_QUOTA) throw new QuotaExceeded(used);
      first ??= utterance.at;
      yield { text: tidy(utterance.text), offset: (utterance.at.getTime() - first.getTime()) / 1000 };
    }
  }
}

/** Capital first letter, single spaces, a full stop at the end. */
function tidy(text: string): string {
  const words = text.trim().replace(/\s+/g, " ");
  const sentence = words.charAt(0).toUpperCase() + words.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
