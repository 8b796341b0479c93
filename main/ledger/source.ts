// Where ledger files come from. The loader reads the top file and everything it includes through a
// LedgerSource, so the same parser serves a working tree on disk and the files of an older git
// commit (read without touching the working tree).

export interface LedgerSource {
  /** A name for messages and results, e.g. the repository folder or `<repo>@<commit>`. */
  readonly label: string;
  /** Reads one file; `file` is relative to the source root, with forward slashes. */
  readFile(file: string): Promise<string>;
  /**
   * Expands an include pattern (relative paths and globs such as `accounts/*.beancount`) against
   * the folder of the including file; returns matching files relative to the root, sorted.
   */
  expandInclude(pattern: string, fromFile: string): Promise<string[]>;
}
