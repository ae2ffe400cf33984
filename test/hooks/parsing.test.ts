// How the guards read a Bash command line: the simple commands inside it (quotes, chains, wrappers,
// substitutions) and what a stop command names (PIDs, groups, patterns, containers, jobs, tmux targets).
import { describe, expect, it } from 'vitest';
import { simpleCommands } from '../../shared/hooks/lib/shell-words.js';
import { stopCommand } from '../../shared/hooks/lib/stop-commands.js';

describe('simpleCommands', () => {
  it.each([
    ['cd run && sudo -u me kill -9 42', [['cd', 'run'], ['kill', '-9', '42']]],
    ["bash -c 'kill 1; echo \"done; really\"'", [['kill', '1'], ['echo', 'done; really']]],
    ['FOO=1 nohup timeout -s KILL 5 pkill -f "train.py --lr 3e-4" &', [['pkill', '-f', 'train.py --lr 3e-4']]],
    ['kill $(pgrep -f train) || true', [['kill'], ['pgrep', '-f', 'train'], ['true']]],
    ['echo a\\;b # kill 1', [['echo', 'a;b']]],
    ['if true; then kill 7; fi', [['true'], ['kill', '7'], ['fi']]],
    ['( kill 3 ) | cat', [['kill', '3'], ['cat']]],
    ['env -u X PATH=/x /bin/kill 9', [['/bin/kill', '9']]],
    ['echo ${HOME}/x', [['echo', '${HOME}/x']]],
    ["bash -lc 'kill 1'", [['kill', '1']]],
    ['sh -ec -- "kill 2"', [['kill', '2']]],
    ["su -c 'kill 3' me", [['kill', '3']]],
    ['eval "kill 4"; eval kill 5', [['kill', '4'], ['kill', '5']]],
    ["$'\\x6bill' 6; $\"kill\" 7", [['kill', '6'], ['kill', '7']]],
    ['busybox kill 8', [['kill', '8']]],
  ])('%s', (line, expected) => {
    expect(simpleCommands(line)).toEqual(expected);
  });
});

describe('stopCommand', () => {
  it.each([
    [['kill', '-9', '42', '43'], 'KILL', [{ kind: 'pid', pid: 42 }, { kind: 'pid', pid: 43 }]],
    [['kill', '-s', 'SIGTERM', '--', '-100'], 'TERM', [{ kind: 'group', pgid: 100 }]],
    [['kill', '--signal=INT', '5'], 'INT', [{ kind: 'pid', pid: 5 }]],
    [['pkill', '-9', '-fx', 'python train.py'], 'KILL', [{ kind: 'match', pattern: 'python train.py', full: true, exact: true, ignoreCase: false, regex: true }]],
    [['killall', '-r', '^py'], null, [{ kind: 'match', pattern: '^py', full: false, exact: false, ignoreCase: false, regex: true }]],
    [['docker', 'container', 'kill', '-s', 'TERM', 'a', 'b'], 'TERM', [{ kind: 'docker', container: 'a' }, { kind: 'docker', container: 'b' }]],
    [['docker', '--context', 'gpu', 'stop', 'trainer'], null, [{ kind: 'docker', container: 'trainer' }]],
    [['docker', 'rm', '-fv', 'trainer'], null, [{ kind: 'docker', container: 'trainer' }]],
    [['scancel', '-u', 'me', '1234_7', '99.0'], null, [{ kind: 'slurm', job: '1234' }, { kind: 'slurm', job: '99' }]],
    [['tmux', '-L', 'work', 'kill-session', '-t', 'train'], null, [{ kind: 'tmux', scope: 'session', target: 'train' }]],
    [['tmux', 'kill-server'], null, [{ kind: 'tmux', scope: 'server', target: null }]],
    [['kill', '-TERM', '-1234'], 'TERM', [{ kind: 'group', pgid: 1234 }]],
    [['kill', '-9', '-1'], 'KILL', [{ kind: 'unresolved', what: '-1 (every process you may signal)' }]],
    [['kill', '-9', '$PID', '%1'], 'KILL', [{ kind: 'unresolved', what: '$PID' }, { kind: 'unresolved', what: '%1' }]],
    [['pkill', '-u', 'me'], null, [{ kind: 'unresolved', what: 'every process matching -u me' }]],
    [['pkill', '-f', 'train.py$'], null, [{ kind: 'match', pattern: 'train.py$', full: true, exact: false, ignoreCase: false, regex: true }]],
    [['killall', '-u', 'me'], null, [{ kind: 'unresolved', what: 'every process of user me' }]],
    [['docker', 'stop'], null, [{ kind: 'unresolved', what: 'containers listed by a substitution' }]],
    [['scancel', '-u', 'me'], null, [{ kind: 'unresolved', what: 'jobs chosen by its filters' }]],
    [['scancel', '$JOB'], null, [{ kind: 'unresolved', what: '$JOB' }]],
    [['docker', 'compose', '-f', 'train.yml', 'down'], null, [{ kind: 'unresolved', what: 'the containers of the Compose project' }]],
    [['docker-compose', 'kill', 'trainer'], 'KILL', [{ kind: 'unresolved', what: 'the containers of services trainer' }]],
    [['systemctl', '--user', 'stop', 'train.service'], null, [{ kind: 'unresolved', what: 'the processes of train.service' }]],
    [['service', 'trainer', 'restart'], null, [{ kind: 'unresolved', what: 'the processes of trainer' }]],
  ])('%j', (argv, signal, targets) => {
    expect(stopCommand(argv as string[])).toEqual({ text: (argv as string[]).join(' '), signal, targets });
  });

  it.each([[['kill', '-0', '5']], [['kill', '-CONT', '5']], [['kill', '-l']], [['pkill', '-SIGCONT', 'x']], [['docker', 'ps']], [['docker', 'rm', 'x']], [['tmux', 'ls']], [['echo', 'kill']], [['docker', 'compose', 'up', '-d']], [['docker', 'compose', 'rm', '-f']], [['systemctl', 'status', 'x']], [['service', 'x', 'status']]])('%j stops nothing', (argv) => {
    expect(stopCommand(argv)).toBeNull();
  });
});
