/** journalctl dumps of these units in `<node>/logs/` (NetworkManager replaces wicked from SBK v0.0.74). */
export const JOURNAL_UNITS: ReadonlySet<string> = new Set(['rke2-server', 'rke2-agent', 'rancherd', 'rancher-system-agent', 'wicked', 'iscsid', 'NetworkManager']);
/** Plain copies of log files with their own timestamp formats. */
export const NODE_LOGS: ReadonlySet<string> = new Set(['kubelet', 'containerd', 'console']);

export const KERNEL_LOG = /^kernel\.log(?:\.(\d+))?$/;
export const CONTAINERD_IMAGES = 'containerd-images.log';

/** A file name support-bundle-kit's collector writes to a node's `logs/` (bundle-layout.md §8). */
export function isNodeLogFileName(name: string): boolean {
  const stem = name.endsWith('.log') ? name.slice(0, -4) : null;
  return KERNEL_LOG.test(name) || name === CONTAINERD_IMAGES || (stem !== null && (JOURNAL_UNITS.has(stem) || NODE_LOGS.has(stem)));
}
