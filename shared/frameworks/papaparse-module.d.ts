// Minimal typing for papaparse's string parser. @types/papaparse pulls in Node's typings
// (`/// <reference types="node" />`), which would let DOM/Node globals leak into shared/. The
// minified build is used because papaparse.js requires Node's `stream` (breaks browser bundles).
declare module 'papaparse/papaparse.min.js' {
  interface PapaParseError {
    type: string;
    code: string;
    message: string;
    row?: number;
  }
  interface PapaParseResult {
    data: string[][];
    errors: PapaParseError[];
    meta: { delimiter: string; linebreak: string; aborted: boolean; truncated: boolean };
  }
  interface PapaParseConfig {
    delimiter?: string;
    delimitersToGuess?: string[];
    header?: false;
    dynamicTyping?: false;
    skipEmptyLines?: boolean | 'greedy';
    quoteChar?: string;
    escapeChar?: string;
  }
  const Papa: { parse(input: string, config?: PapaParseConfig): PapaParseResult };
  export default Papa;
}
