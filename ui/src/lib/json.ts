// Where a JSON text first goes wrong, as a line and column the user can find. JSON.parse decides
// whether the text is valid (WebKit's message gives no position); the JSON grammar CodeMirror
// highlights with says where the first error is.
import { jsonLanguage } from '@codemirror/lang-json';

export interface JsonProblem {
  message: string;
  /** Offset of the problem in the text. */
  from: number;
  /** 1-based, as editors count. */
  line: number;
  column: number;
}

export function jsonProblem(text: string): JsonProblem | null {
  if (text.trim() === '') return problemAt(text, text.length, 'The event is empty: write a JSON value such as {}.');
  try {
    JSON.parse(text);
    return null;
  } catch {
    return problemAt(text, firstErrorOffset(text), 'This is not valid JSON.');
  }
}

function firstErrorOffset(text: string): number {
  let found: number | null = null;
  jsonLanguage.parser.parse(text).iterate({
    enter(node) {
      if (found !== null) return false;
      if (node.type.isError) {
        found = node.from;
        return false;
      }
      return undefined;
    },
  });
  return found ?? text.length;
}

function problemAt(text: string, from: number, message: string): JsonProblem {
  const before = text.slice(0, from);
  const line = before.split('\n').length;
  const column = from - (before.lastIndexOf('\n') + 1) + 1;
  return { message: `${message} Line ${line}, column ${column}.`, from, line, column };
}
