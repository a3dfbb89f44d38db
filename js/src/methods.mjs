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
// Defines a prototype's properties again, in their order, once every method
// is in place. A property assigned more than once (each layer wraps the one
// before) is a mutable field to V8, so optimised code loads and checks the
// method at every call; defined afresh, each is a constant again and a call
// inlines with no check beyond the receiver's map.
export function settleMethods(proto) {
  const descriptors = Object.getOwnPropertyDescriptors(proto);
  const keys = Reflect.ownKeys(descriptors).filter((k) => descriptors[k].configurable);
  for (const k of keys) delete proto[k];
  for (const k of keys) Object.defineProperty(proto, k, descriptors[k]);
}
