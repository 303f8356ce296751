// Java frames as JVM agents print them:
//   com.example.orders.OrderProcessor.aggregateByCustomer        (async-profiler, Pixie [j] frames)
//   com/example/orders/OrderProcessor.aggregateByCustomer        (slashes)
//   Lcom/example/orders/OrderProcessor;.aggregateByCustomer      (perf-map-agent, JVM descriptor style)
//   com.example.Outer$Inner.run, com.example.App.lambda$main$0, com.example.App$$Lambda$14/0x0000000800c03000.run
//   com.example.App.<init>, ...Foo.bar(Ljava/lang/String;)V
//   long com.example.orders.OrderProcessor.checksum(int, int)    (JDK 17 -XX:+DumpPerfMapAtExit: return type + arguments)
import { ParsedSymbol } from './parsedSymbol';

const JVM_DESCRIPTOR = /^L[\w/$]+;(\.|::)/;
/** JDK perf map: `<return type> <package.Class.method>(<argument types>)`. */
const PERF_MAP_SHAPE = /^[\w.$\[\]]+ ((?:[\w$]+\.)+[\w$<>]+)\(.*\)$/;
const JAVA_SHAPE = /^([a-z_][\w]*[./]){2,}[A-Z][\w$]*[./][\w$<>]+(\(.*)?$/;

export function looksLikeJava(name: string): boolean {
  const s = name.charCodeAt(0) === 91 ? name.replace(/^\[j\]\s*/, '') : name;
  if (s.charCodeAt(0) === 76 /* L */ && JVM_DESCRIPTOR.test(s)) return true;
  if (s.includes('::')) return false;
  if (s.includes(' ')) return PERF_MAP_SHAPE.test(s) && /[A-Z]/.test(s);
  return JAVA_SHAPE.test(s) || s.includes('.lambda$') || s.includes('.<init>') || s.includes('.<clinit>');
}

export function parseJavaSymbol(raw: string): ParsedSymbol | undefined {
  let s = raw.trim().replace(/^\[j\]\s*/, '').replace(/_\[j\]$/, '');
  const display = s;
  const perfMap = s.includes(' ') ? PERF_MAP_SHAPE.exec(s) : null;
  if (perfMap) s = perfMap[1];
  const jvm = /^L([\w/$]+);(?:\.|::)([\w$<>]+)/.exec(s);
  if (jvm) s = `${jvm[1]}.${jvm[2]}`;
  s = s.replace(/\(.*$/, '').replace(/\/0x[0-9a-f]+/i, '').replace(/\//g, '.');
  const dot = s.lastIndexOf('.');
  if (dot <= 0) return undefined;
  let method = s.slice(dot + 1);
  const classPath = s.slice(0, dot).split('.');
  const className = classPath.pop() ?? '';
  const pkg = classPath;
  let isClosure = false;
  // Synthetic lambda classes: App$$Lambda$14 (and /0x... already cut by the '/' split above).
  let classChain = className.replace(/\$\$Lambda.*$/, () => {
    isClosure = true;
    return '';
  }).split('$').filter((c) => c.length > 0);
  // Anonymous classes Outer$1 belong to Outer.
  const anonymous = classChain.findIndex((c) => /^\d+$/.test(c));
  if (anonymous >= 0) {
    isClosure = true;
    classChain = classChain.slice(0, anonymous);
  }
  const lambda = /^lambda\$(.+)\$(\d+)$/.exec(method);
  if (lambda) {
    method = lambda[1];
    isClosure = true;
  }
  if (lambda && method === 'static') method = '<clinit>';
  if (method === '<init>' || method === '<clinit>') method = classChain[classChain.length - 1] ?? method;
  if (classChain.length === 0 || !method) return undefined;
  const parts = [...pkg, ...classChain, method];
  return {
    language: 'java',
    qualifiedParts: parts,
    name: method,
    container: classChain[classChain.length - 1],
    isClosure: isClosure || undefined,
    lambdaIndex: lambda && lambda[1] !== 'static' ? Number(lambda[2]) : undefined,
    display,
  };
}
