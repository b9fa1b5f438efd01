/**
 * What a command may touch: output streams and input files. Commands receive it as an argument,
 * so the whole CLI is testable in-process as well as by spawning the real binary.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

export interface CliIo {
  /** Writes to standard output (the result). */
  stdout(text: string): void;
  /** Writes to standard error (messages for the user). */
  stderr(text: string): void;
  /** Reads all of standard input as UTF-8. */
  readStdin(): Promise<string>;
  /** Reads a file as UTF-8; relative paths are taken from the working directory. */
  readFile(filePath: string): Promise<string>;
}

/** The real process: stdout, stderr, stdin and the file system. */
export function nodeIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin)
        chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
      return Buffer.concat(chunks).toString("utf8");
    },
    readFile: (filePath) => readFile(path.resolve(process.cwd(), filePath), "utf8"),
  };
}
