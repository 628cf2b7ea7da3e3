/** One JSON log line as pino writes it; the fields a test reads beyond these are unknown. */
export interface LogLine {
  level: number;
  msg: string;
  pid: number;
  time: number;
  reqId?: string;
  err?: { message?: string; stack?: string };
  [field: string]: unknown;
}

/** The JSON log lines in a process's output; other lines are skipped. */
export function logLines(output: string): LogLine[] {
  return output.split("\n").flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as LogLine;
      return typeof parsed === "object" && parsed !== null && typeof parsed.msg === "string" ? [parsed] : [];
    } catch {
      return [];
    }
  });
}
