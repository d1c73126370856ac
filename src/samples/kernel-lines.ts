/** Kernel messages (journalctl -k): boot banner, memcg OOM kills, iSCSI sessions. */
import type { ReleaseInfo } from './cluster.js';
import type { Micros } from './line-formats.js';
import { journalLine } from './line-formats.js';
import { Rng } from './prng.js';
import type { World } from './world.js';

const HW = 'Dell Inc. PowerEdge R750/0PJ80M, BIOS 1.13.2 12/08/2023';

function klines(w: World, node: string, t: Micros, texts: readonly string[], stepUs = 0): void {
  const skew = w.node(node).skew;
  texts.forEach((text, i) => w.kernel(node, t + i * stepUs, (tt) => journalLine(tt + skew, node, 'kernel', null, text)));
}

/** The first kernel messages of a boot (what `journalctl -k -b` starts with). */
export function kernelBoot(w: World, node: string, t: Micros, rel: ReleaseInfo): void {
  const built = rel.kernel.includes('.100-') ? 'Thu Apr 10 09:17:34 UTC 2025 (8c1e5a2)' : 'Tue Dec  3 12:04:51 UTC 2024 (3d2f0c1)';
  const n = w.node(node).def;
  klines(w, node, t, [
    `Linux version ${rel.kernel} (geeko@buildhost) (gcc (SUSE Linux) 7.5.0, GNU ld (GNU Binutils; SUSE Linux Enterprise 15) 2.43.1.20241209-150100.7.52) #1 SMP PREEMPT_DYNAMIC ${built}`,
    'Command line: BOOT_IMAGE=(loop0)/boot/vmlinuz console=tty1 root=LABEL=COS_STATE cos-img/filename=/cOS/active.img panic=0 net.ifnames=1 rd.cos.oemlabel=COS_OEM rd.cos.mount=LABEL=COS_OEM:/oem rd.cos.mount=LABEL=COS_PERSISTENT:/usr/local rd.cos.oemtimeout=10 audit=1 audit_backlog_limit=8192 intel_iommu=on amd_iommu=on iommu=pt multipath=off',
    'x86/fpu: Supporting XSAVE feature 0x001: \'x87 floating point registers\'',
    'x86/fpu: Supporting XSAVE feature 0x002: \'SSE registers\'',
    'BIOS-provided physical RAM map:',
    'BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable',
    'BIOS-e820: [mem 0x0000000000100000-0x000000006a5fefff] usable',
    'NX (Execute Disable) protection: active',
    'SMBIOS 3.3.0 present.',
    `DMI: ${HW}`,
    'tsc: Detected 2800.000 MHz processor',
    'ACPI: Early table checksum verification disabled',
    'Memory: 527806412K/536342392K available (14345K kernel code, 2876K rwdata, 10840K rodata, 3512K init, 17668K bss, 8535980K reserved, 0K cma-reserved)',
    'smpboot: Allowing 64 CPUs, 0 hotplug CPUs',
    'DMAR: IOMMU enabled',
    'Kernel command line: BOOT_IMAGE=(loop0)/boot/vmlinuz console=tty1 root=LABEL=COS_STATE cos-img/filename=/cOS/active.img panic=0 net.ifnames=1 intel_iommu=on iommu=pt',
    'Dentry cache hash table entries: 16777216 (order: 15, 134217728 bytes, vmalloc hugepage)',
    'pci 0000:00:00.0: [8086:09a2] type 00 class 0x088000',
    `pci ${n.gpu.address}: [10de:25b6] type 00 class 0x030200`,
    'iommu: Default domain type: Passthrough (set via kernel command line)',
    'Freeing unused kernel image (initmem) memory: 3512K',
    'Run /init as init process',
    'systemd[1]: systemd 249.17+suse.213.gd3c7d4d1a9 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR -IMA -SMACK +SECCOMP +GCRYPT +GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS -FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 +PWQUALITY +P11KIT +QRENCODE +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)',
    'megaraid_sas 0000:31:00.0: FW now in Ready state',
    'scsi host0: Avago SAS based MegaRAID driver',
    'sd 0:2:0:0: [sda] 3749707776 512-byte logical blocks: (1.92 TB/1.75 TiB)',
    'EXT4-fs (loop0): mounted filesystem with ordered data mode. Opts: (null). Quota mode: none.',
    'ice 0000:4b:00.0: The DDP package was successfully loaded: ICE OS Default Package version 1.3.36.0',
    'bond0: (slave eno1): Enslaving as a backup interface with an up link',
    'bond0: (slave eno2): Enslaving as a backup interface with an up link',
    'mgmt-br: port 1(mgmt-bo) entered forwarding state',
    'Bridge firewalling registered',
    'Initializing XFRM netlink socket',
    'iscsi: registered transport (tcp)',
    'NET: Registered PF_VSOCK protocol family',
  ], 1500);
}

export interface OomKill {
  /** The process the kernel picked (`prometheus`, `stress-ng`, `qemu-system-x86`). */
  comm: string;
  pid: number;
  uid: number;
  oomScoreAdj: number;
  limitKb: number;
  podUid: string;
  containerId: string;
  totalVmKb: number;
}

/** A memcg OOM kill as the kernel reports it (real-log-samples.md E11, E13; upgrade-mechanics §14). */
export function kernelOom(w: World, node: string, t: Micros, o: OomKill, rel: ReleaseInfo): void {
  const rng = Rng.derive('oom', `${node}/${t}`);
  const cg = `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${o.podUid.replace(/-/g, '_')}.slice/cri-containerd-${o.containerId}.scope`;
  const cpu = rng.int(0, 63);
  const rssPages = Math.floor(o.limitKb / 4) - rng.int(10, 300);
  klines(w, node, t, [
    `${o.comm} invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=${o.oomScoreAdj}`,
    `CPU: ${cpu} PID: ${o.pid + rng.int(1, 40)} Comm: ${o.comm} Not tainted ${rel.kernel} #1 SLE15-SP5 ${Rng.derive('kernel', rel.kernel).hex(40)}`,
    `Hardware name: ${HW}`,
    'Call Trace:',
    ' <TASK>',
    ' dump_stack_lvl+0x45/0x5b',
    ' dump_header+0x4a/0x220',
    ' oom_kill_process+0xe8/0x140',
    ' out_of_memory+0x113/0x580',
    ' mem_cgroup_out_of_memory+0xe3/0x100',
    ' try_charge_memcg+0x6bb/0x700',
    ' charge_memcg+0x40/0xa0',
    ' __mem_cgroup_charge+0x2c/0x80',
    ' __handle_mm_fault+0xa2a/0x1290',
    ' handle_mm_fault+0xd5/0x2a0',
    ' do_user_addr_fault+0x1eb/0x730',
    ' exc_page_fault+0x67/0x150',
    ' asm_exc_page_fault+0x22/0x30',
    ' </TASK>',
    `memory: usage ${o.limitKb}kB, limit ${o.limitKb}kB, failcnt ${rng.int(40, 4000)}`,
    `memory+swap: usage ${o.limitKb}kB, limit 9007199254740988kB, failcnt 0`,
    `kmem: usage ${rng.int(9000, 40000)}kB, limit 9007199254740988kB, failcnt 0`,
    `Memory cgroup stats for ${cg}:`,
    'Tasks state (memory values in pages):',
    '[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name',
    `[${String(o.pid).padStart(7)}] ${String(o.uid).padStart(5)} ${String(o.pid).padStart(5)} ${String(Math.floor(o.totalVmKb / 4)).padStart(8)} ${String(rssPages).padStart(8)} ${String(rng.int(3000, 6000) * 1024).padStart(14)} ${String(0).padStart(8)} ${String(o.oomScoreAdj).padStart(13)} ${o.comm}`,
    `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-${o.containerId}.scope,mems_allowed=0-1,oom_memcg=${cg},task_memcg=${cg},task=${o.comm},pid=${o.pid},uid=${o.uid}`,
    `Memory cgroup out of memory: Killed process ${o.pid} (${o.comm}) total-vm:${o.totalVmKb}kB, anon-rss:${rssPages * 4 - rng.int(1000, 9000)}kB, file-rss:${rng.int(9000, 30000)}kB, shmem-rss:0kB, UID:${o.uid} pgtables:${rng.int(3000, 6000)}kB oom_score_adj:${o.oomScoreAdj}`,
  ], 40);
  klines(w, node, t + 90_000, [`oom_reaper: reaped process ${o.pid} (${o.comm}), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB`]);
}

/** Last kernel messages before a reboot (the previous boot's kernel.log.N ends with them). */
export function kernelShutdown(w: World, node: string, t: Micros): void {
  klines(w, node, t, [
    'mgmt-br: port 1(mgmt-bo) entered disabled state',
    'bond0: (slave eno1): Releasing backup interface',
    'bond0: (slave eno2): Releasing backup interface',
    'sd 0:2:0:0: [sda] Synchronizing SCSI cache',
  ], 800);
}
