/**
 * A minimal XML reader for the tests: elements, attributes and text, entity references of XML
 * 1.0's five predefined entities; throws on anything not well-formed (unbalanced or mismatched
 * tags, unescaped `<` or `&`, duplicate attributes, text outside the root).
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decode(s: string): string {
  if (/&(?!(lt|gt|amp|quot|apos);)/.test(s)) throw new Error(`unescaped & in ${JSON.stringify(s)}`);
  return s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ENTITIES[e] as string);
}

export function parseXml(xml: string): XmlElement {
  let i = 0;
  const decl = /^<\?xml[^?]*\?>\s*/.exec(xml);
  if (decl) i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    if (xml[i] === "<") {
      const end = xml.indexOf(">", i);
      if (end < 0) throw new Error("unterminated tag");
      const tag = xml.slice(i + 1, end);
      i = end + 1;
      if (tag.startsWith("/")) {
        const open = stack.pop();
        if (!open || open.name !== tag.slice(1).trim())
          throw new Error(`mismatched </${tag.slice(1)}>`);
        continue;
      }
      const selfClosing = tag.endsWith("/");
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const m = /^([A-Za-z_][\w.-]*)([\s\S]*)$/.exec(body);
      if (!m) throw new Error(`bad tag <${tag}>`);
      const attrs: Record<string, string> = {};
      const rest = (m[2] ?? "").trim();
      const attrRe = /([A-Za-z_][\w.-]*)="([^"<]*)"\s*/y;
      let pos = 0;
      while (pos < rest.length) {
        attrRe.lastIndex = pos;
        const a = attrRe.exec(rest);
        if (!a) throw new Error(`bad attributes in <${tag}>`);
        const key = a[1] as string;
        if (key in attrs) throw new Error(`duplicate attribute ${key}`);
        attrs[key] = decode(a[2] as string);
        pos = attrRe.lastIndex;
      }
      const el: XmlElement = { name: m[1] as string, attrs, children: [], text: "" };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else if (root) throw new Error("second root element");
      else root = el;
      if (!selfClosing) stack.push(el);
    } else {
      const next = xml.indexOf("<", i);
      const text = xml.slice(i, next < 0 ? xml.length : next);
      i = next < 0 ? xml.length : next;
      const parent = stack[stack.length - 1];
      if (!parent) {
        if (text.trim() !== "") throw new Error("text outside the root element");
        continue;
      }
      parent.text += decode(text);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  if (!root) throw new Error("no root element");
  return root;
}
