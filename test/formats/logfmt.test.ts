import { describe, expect, it } from 'vitest';
import { parseLogfmt } from '../../src/formats/logfmt.js';
import { utc } from './helpers.js';

describe('parseLogfmt', () => {
  it('reads the Prometheus go-kit line (§9)', () => {
    expect(
      parseLogfmt(
        'level=warn ts=2022-07-27T21:17:17.094Z caller=db.go:676 component=tsdb msg="A TSDB lockfile from a previous execution already existed. It was replaced" file=/prometheus/lock',
      ),
    ).toEqual({
      time: utc('2022-07-27T21:17:17.094Z'),
      timeSource: 'explicit',
      level: 'warning',
      message: 'A TSDB lockfile from a previous execution already existed. It was replaced',
      format: 'logfmt',
      fields: { caller: 'db.go:676', component: 'tsdb', file: '/prometheus/lock' },
    });
  });

  it('reads keys in the newer Prometheus order', () => {
    const parsed = parseLogfmt('ts=2024-03-01T10:00:00.123Z caller=main.go:1 level=error msg="Error on ingesting samples" err="out of bounds"')!;
    expect(parsed).toMatchObject({ time: utc('2024-03-01T10:00:00.123Z'), level: 'error', message: 'Error on ingesting samples' });
    expect(parsed.fields).toEqual({ caller: 'main.go:1', err: 'out of bounds' });
  });

  it('reads KubeVirt old text lines (E20), empty values included', () => {
    const parsed = parseLogfmt(
      'level=info timestamp=2018-09-21T09:13:31.763821Z pos=vm.go:388 component=virt-handler namespace=kubevirt-test-default name=testvmicxk6cvpd78wgtpbbrhlghx62588djhfl9m4bf5sq4gqsd6n9 kind= uid=8ad7536e-bd7e-11e8-aef7-525500d15501 msg="Deleting domain for VirtualMachineInstance with deletion timestamp."',
    )!;
    expect(parsed.time).toBe(utc('2018-09-21T09:13:31.763Z'));
    expect(parsed.message).toBe('Deleting domain for VirtualMachineInstance with deletion timestamp.');
    expect(parsed.fields?.kind).toBe('');
    expect(parsed.fields?.uid).toBe('8ad7536e-bd7e-11e8-aef7-525500d15501');
    const escaped = parseLogfmt(
      'level=info timestamp=2018-09-21T09:13:31.763766Z pos=vm.go:346 component=virt-handler msg="Domain status: Shutoff, reason: Shutdown\\n"',
    )!;
    expect(escaped.message).toBe('Domain status: Shutoff, reason: Shutdown\n');
  });

  it('uses the whole line as the message when there is no msg', () => {
    const line = 'level=info ts=2024-03-01T10:00:00Z component=tsdb';
    expect(parseLogfmt(line)!.message).toBe(line);
  });

  it.each(['robustness=degraded', 'harvester: v1.4.2', 'level', 'caller=x.go:1 component=tsdb', 'levels=3 a=b'])(
    'stays silent on %j',
    (line) => {
      expect(parseLogfmt(line)).toBeNull();
    },
  );
});
