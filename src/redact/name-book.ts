import type { NameCategory } from './pseudonyms.js';
import { isKeptWord, isSystemNamespace } from './vocabulary.js';

/** When one value is learned as two things, the more specific wins (a node also seen as a host stays a node). */
const PRECEDENCE: readonly NameCategory[] = ['cluster', 'bundle', 'node', 'vm', 'ns', 'obj', 'host', 'user'];

/** A namespace whose objects are the user's: `default` and every namespace Harvester does not own. */
const isUserNamespace = (namespace: string): boolean => namespace === 'default' || !isSystemNamespace(namespace);

/** virt-launcher pods are named `virt-launcher-<vm>-<5 chars>`: the VM is the name, the rest is Kubernetes'. */
const VIRT_LAUNCHER_POD = /^virt-launcher-([a-z0-9][a-z0-9.-]*?)-[a-z0-9]{5}$/;

/** The sensitive names of one report (or batch result), each with what it is. Story words are never admitted. */
export class NameBook {
  private readonly names = new Map<string, NameCategory>();

  constructor(readonly ruleIds: ReadonlySet<string>) {}

  add(value: string | null | undefined, category: NameCategory): void {
    if (!value || isKeptWord(value, this.ruleIds)) return;
    const known = this.names.get(value);
    if (known === undefined || PRECEDENCE.indexOf(category) < PRECEDENCE.indexOf(known)) this.names.set(value, category);
  }

  get(value: string): NameCategory | undefined {
    return this.names.get(value);
  }

  /** Learned namespaces and `default`: the ones whose `<ns>/<name>` objects are the user's. */
  isUserNamespace(namespace: string): boolean {
    return namespace === 'default' || this.names.get(namespace) === 'ns';
  }

  entries(): IterableIterator<[string, NameCategory]> {
    return this.names.entries();
  }

  /** An object of a user namespace: a virt-launcher pod names its VM, anything else is a name of its own. */
  addObject(name: string, category: 'vm' | 'obj'): void {
    const launcher = VIRT_LAUNCHER_POD.exec(name);
    if (launcher) this.add(launcher[1], 'vm');
    else this.add(name, category);
  }

  /**
   * A finding's subject: `<ns>/<name>` in a user namespace names the namespace and a VM (rules about VMs) or another
   * object; objects of Harvester's own namespaces, volumes and file paths are no one's secret.
   */
  addSubject(ruleId: string, subject: string | null): void {
    if (subject === null) return;
    const parts = subject.split('/');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '' || !isUserNamespace(parts[0])) return;
    this.add(parts[0], 'ns');
    this.addObject(parts[1], /(^|-)vms?(-|$)/.test(ruleId) ? 'vm' : 'obj');
  }
}

/** `<key>=<value>`, `"<key>":"<value>"` and `<key>: <value>` forms of a log line. */
const keyed = (keys: string, value: string): RegExp => new RegExp(`\\b(?:${keys})(?:"?\\s*:\\s*"?|=["']?)(${value})`, 'g');

const NAME = '[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?';
const DNS_LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';

const NAMESPACE_PATTERNS = [
  new RegExp(`(?:^|[^\\w.-])yamls/namespaced/(${DNS_LABEL})/`, 'g'),
  new RegExp(`(?:^|[^\\w.-])logs/(${DNS_LABEL})/[^/\\s]+/`, 'g'),
  new RegExp(`(?:^|/)logs/(${DNS_LABEL})\\.[^/\\s]+\\.\\d{8}\\.log`, 'g'),
  keyed('namespace', DNS_LABEL),
];
const NODE_PATTERNS = [
  keyed('nodeName|node|hostname|host|kubernetes\\.io/hostname', NAME),
  // journald short-precise: `Jun 14 09:35:01.020889 <host> <unit>[pid]:`
  new RegExp(`^[A-Z][a-z]{2} [ \\d]\\d [\\d:.]+ (${NAME}) [\\w.@/-]+(?:\\[\\d+\\])?:`, 'gm'),
];
const VM_PATTERNS = [
  new RegExp(`\\bvirt-launcher-(${NAME}?)-[a-z0-9]{5}(?![a-z0-9-])`, 'g'),
  new RegExp(`\\b(?:vmi?|virtualmachine(?:instance)?)(?:"?\\s*:\\s*"?|=["']?)(${DNS_LABEL})/(${NAME})`, 'gi'),
  new RegExp(`\\b(?:VMI?|VirtualMachine(?:Instance)?|VM) (${DNS_LABEL})/(${NAME})`, 'g'),
];
/** KubeVirt's JSON lines name the VM in `name` when `kind` is one of these. */
const KUBEVIRT_VM_KIND = /"kind"\s*:\s*"(?:VirtualMachine|VirtualMachineInstance|Domain)"/;
const KUBEVIRT_NAME = new RegExp(`"name"\\s*:\\s*"(${NAME})"`, 'g');
const OBJECT_OF_NAMESPACE = new RegExp(`(?<![\\w./-])(${DNS_LABEL})/(${NAME})(?![\\w/-])`, 'g');

/** First pass over a text: namespaces, nodes and VMs named by the log formats themselves. */
export function learnNamesFromText(book: NameBook, text: string): void {
  for (const pattern of NAMESPACE_PATTERNS) {
    for (const m of text.matchAll(pattern)) if (isUserNamespace(m[1])) book.add(m[1], 'ns');
  }
  // Dotted values are addresses or FQDNs: the patterns of their shape name them.
  for (const pattern of NODE_PATTERNS) {
    for (const m of text.matchAll(pattern)) if (!m[1].includes('.')) book.add(m[1], 'node');
  }
  for (const pattern of VM_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      if (m.length > 2) {
        if (!isUserNamespace(m[1])) continue;
        book.add(m[1], 'ns');
        book.add(m[2], 'vm');
      } else book.add(m[1], 'vm');
    }
  }
  if (KUBEVIRT_VM_KIND.test(text)) for (const m of text.matchAll(KUBEVIRT_NAME)) book.add(m[1], 'vm');
}

/** Second pass, once the namespaces are known: `<ns>/<name>` objects of the user's namespaces. */
export function learnObjectsFromText(book: NameBook, text: string): void {
  for (const m of text.matchAll(OBJECT_OF_NAMESPACE)) {
    if (book.isUserNamespace(m[1]) && book.get(m[2]) === undefined) book.addObject(m[2], 'obj');
  }
}
