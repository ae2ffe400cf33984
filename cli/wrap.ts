// Help text built from data (persona lists, menus) wrapped the way the written help is: lines of at most
// 100 characters.

/** `lead`, then the words separated by spaces; a word never breaks, and lines after the first start with `indent`. */
export function wrap(lead: string, words: string[], indent = '', width = 100): string {
  const lines = [lead];
  let empty = true; // nothing after the line's lead or indent yet
  for (const word of words) {
    const last = lines.length - 1;
    if (!empty && lines[last]!.length + 1 + word.length > width) lines.push(indent + word);
    else lines[last] += empty ? word : ` ${word}`;
    empty = false;
  }
  return lines.join('\n');
}

/** A sentence as words for wrap. */
export function words(text: string): string[] {
  return text.split(' ');
}
