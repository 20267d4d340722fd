// Pigsty's service selectors are JMESPath filters evaluated over each member's host vars
// (`[? pg_role == \`primary\` || pg_offline_query ]`). We implement exactly the subset its templates
// use, so selectors written for Pigsty keep working, and anything else is rejected at validation time
// with a message instead of silently selecting nobody.
//
// Grammar:  selector := "[]" | "[" "?" expr "]"
//           expr := or ; or := and ("||" and)* ; and := unary ("&&" unary)*
//           unary := "!" unary | "(" expr ")" | cmp ; cmp := operand (("=="|"!=") operand)?
//           operand := identifier | `json-or-bare literal` | 'raw string'

export type SelectorSubject = Record<string, unknown>;
export type SelectorFn = (member: SelectorSubject) => boolean;

type Tok = { t: "op"; v: string } | { t: "id"; v: string } | { t: "lit"; v: unknown };

function tokenize(src: string): Tok[] {
    const out: Tok[] = [];
    let i = 0;
    while (i < src.length) {
        const c = src[i];
        if (/\s/.test(c)) { i++; continue; }
        const two = src.slice(i, i + 2);
        if (["||", "&&", "==", "!="].includes(two)) { out.push({ t: "op", v: two }); i += 2; continue; }
        if ("[]?!()".includes(c)) { out.push({ t: "op", v: c }); i++; continue; }
        if (c === "`" || c === "'") {
            const end = src.indexOf(c, i + 1);
            if (end < 0) throw new Error(`unterminated ${c} literal`);
            const body = src.slice(i + 1, end);
            let v: unknown = body;
            if (c === "`") { try { v = JSON.parse(body); } catch { v = body; } }
            out.push({ t: "lit", v });
            i = end + 1;
            continue;
        }
        const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
        if (m) { out.push({ t: "id", v: m[0] }); i += m[0].length; continue; }
        throw new Error(`unexpected character '${c}' at ${i}`);
    }
    return out;
}

/** Compiles a selector; throws an Error describing the syntax problem. */
export function compileSelector(src: string): SelectorFn {
    const toks = tokenize(src);
    let p = 0;
    const peek = () => toks[p];
    const isOp = (v: string) => peek()?.t === "op" && peek()!.v === v;
    const expect = (v: string) => {
        if (!isOp(v)) throw new Error(`expected '${v}'${peek() ? ` near token ${p + 1}` : " at end"}`);
        p++;
    };
    type Node = (m: SelectorSubject) => unknown;
    const operand = (): Node => {
        const t = peek();
        if (!t) throw new Error("unexpected end of selector");
        p++;
        if (t.t === "id") return (m) => m[t.v];
        if (t.t === "lit") return () => t.v;
        throw new Error(`unexpected '${t.v}'`);
    };
    const cmp = (): Node => {
        const left = operand();
        if (isOp("==") || isOp("!=")) {
            const op = (peek() as { v: string }).v; p++;
            const right = operand();
            return op === "==" ? (m) => left(m) === right(m) : (m) => left(m) !== right(m);
        }
        return left;
    };
    const truthy = (v: unknown) => !(v === false || v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0));
    let unary: () => Node;
    const and = (): Node => {
        let n = unary();
        while (isOp("&&")) { p++; const l = n, r = unary(); n = (m) => truthy(l(m)) && truthy(r(m)); }
        return n;
    };
    const or = (): Node => {
        let n = and();
        while (isOp("||")) { p++; const l = n, r = and(); n = (m) => truthy(l(m)) || truthy(r(m)); }
        return n;
    };
    unary = (): Node => {
        if (isOp("!")) { p++; const n = unary(); return (m) => !truthy(n(m)); }
        if (isOp("(")) { p++; const n = or(); expect(")"); return n; }
        return cmp();
    };
    expect("[");
    if (isOp("]")) {
        p++;
        if (p !== toks.length) throw new Error("unexpected text after '[]'");
        return () => true;
    }
    expect("?");
    const body = or();
    expect("]");
    if (p !== toks.length) throw new Error("unexpected text after ']'");
    return (m) => truthy(body(m));
}
