// Replacing a method that embind installed. An overloaded embind method is a
// dispatcher that finds its overloads through proto[name].overloadTable at
// call time, so every replacement must carry that table on.
export function replaceMethod(target, name, makeReplacement) {
  const raw = target[name];
  if (typeof raw !== 'function') return undefined;
  const next = makeReplacement(raw);
  if (raw.overloadTable) next.overloadTable = raw.overloadTable;
  target[name] = next;
  return raw;
}
