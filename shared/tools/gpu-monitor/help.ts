// `gpu_monitor --help`: every option with an example.

export const HELP = `gpu_monitor: live GPU and ML-process view, JSON snapshots, a CSV log with an SVG plot, Prometheus metrics.

Reads NVIDIA GPUs through nvidia-smi (one long-lived "nvidia-smi --query-gpu ... -lms" child, not a new
process per tick) and AMD GPUs through rocm-smi --json when nvidia-smi is not installed. Host processes come
from /proc. Values the driver does not report are shown as "unknown" (null in JSON, empty in CSV), never 0.

Usage:
  gpu_monitor [options]                   live view (redrawn in place on a terminal; plain text otherwise)
  gpu_monitor --once [--json]             one snapshot, then exit
  gpu_monitor --watch --json              one JSON object per sample, one per line
  gpu_monitor --log FILE.csv              record while watching (also with --watch --json or --prometheus)
  gpu_monitor --plot FILE.csv [-o FILE.svg]
  gpu_monitor --prometheus PORT [--host ADDRESS]
  gpu_monitor --cluster-config prometheus|grafana|slurm|kubernetes|all [--out DIR] [--port PORT] [--nodes LIST]

Options:
  --once                  Take one snapshot and exit.
                            gpu_monitor --once
  --json                  Machine-readable output: with --once one object, with --watch one object per line:
                          {"timestamp","source","gpus":[{"index","uuid","name","pciBusId","utilizationGpuPercent",
                          "utilizationMemoryPercent","utilizationEncoderPercent","utilizationDecoderPercent",
                          "memoryUsedMiB","memoryTotalMiB","temperatureC","memoryTemperatureC","powerDrawW",
                          "powerLimitW","performanceState","clocks":{...},"clockEventReasons":{"activeMask",
                          "active"},"ecc":{...}}],"processes":[{"pid","gpuIndex","gpuUuid","usedMemoryMiB","name",
                          "command"}],"hostProcesses":[{"pid","user","cpuPercent","cpuBasis","rssBytes","command",
                          "gpuIndices"}]}; unknown values are null. A failure prints {"timestamp","error":{"message",
                          "hint","exitCode"}} (with --watch, one such line per new problem) and the line on stderr.
                            gpu_monitor --once --json | jq '.gpus[].utilizationGpuPercent'
  --watch                 Keep sampling (the default without --once, --plot or --prometheus).
                            gpu_monitor --watch --json > samples.jsonl
  --interval SEC          Seconds between samples (default 1; 0.1 to 3600). utilization.gpu is itself averaged
                          over up to 1 s by the driver: polling faster adds cost, not signal.
                            gpu_monitor --interval 2
  --count N               Stop after N GPU samples.
                            gpu_monitor --watch --json --count 10
  --log FILE              Append one CSV row per GPU per sample: timestamp,gpu_index,utilization_gpu_percent,
                          utilization_memory_percent,memory_used_mib,memory_total_mib,temperature_c,
                          power_draw_w,power_limit_w.
                            gpu_monitor --log run.csv
  --plot FILE.csv         Draw a log as a self-contained SVG: per GPU, utilisation and memory, power (limit dashed)
                          and temperature over time.
                            gpu_monitor --plot run.csv -o run.svg
  -o, --output FILE       Where --plot writes (default: the log's name with .svg).
  --prometheus PORT       Serve /metrics in the Prometheus text format with dcgm-exporter names and labels
                          (DCGM_FI_DEV_GPU_UTIL, DCGM_FI_DEV_FB_USED, DCGM_FI_DEV_CLOCKS_EVENT_REASONS, ECC, ...;
                          gpu, UUID, modelName, Hostname). 0 = a free port; the bound address is printed.
                            gpu_monitor --prometheus 9400
  --host ADDRESS          Address --prometheus binds to (default 127.0.0.1; 0.0.0.0 for every interface).
                            gpu_monitor --prometheus 9400 --host 0.0.0.0
  --processes-every SEC   At most this often (default 5 s) ask nvidia-smi --query-compute-apps for the processes:
                          when a GPU's memory.used moved by 1% of its total since the last answer, or that answer
                          is older than max(30 s, 6 x SEC).
                            gpu_monitor --processes-every 10
  --gpus LIST             Only these GPUs (indices as nvidia-smi numbers them), in the view, JSON, log and /metrics.
                            gpu_monitor --gpus 0,3
  --compact               One line per GPU (automatic when the full view does not fit the terminal).
                            gpu_monitor --compact
  --cluster-config KIND   Write files for many nodes each running --prometheus: prometheus (scrape config),
                          grafana (dashboard to import), slurm (one exporter per node of a job), kubernetes
                          (DaemonSet), or all. Never overwrites a file and never follows a symbolic link.
                            gpu_monitor --cluster-config all --out monitoring
  --out DIR               Where --cluster-config writes (default: the current directory; created if missing).
  --port PORT             The exporters' port in the cluster files (default 9400).
  --nodes LIST            Nodes for the Prometheus targets, e.g. --nodes gpu-1,gpu-2 (default: placeholders).
  --top N                 ML processes on this host to list (default 8).
                            gpu_monitor --top 15
  --timeout SEC           Limit for each nvidia-smi/rocm-smi call (default 5). A stream with no sample for
                          max(timeout, 3 intervals) is reported as hung and restarted.
                            gpu_monitor --once --timeout 10
  -h, --help              Show this help.

Live view: per GPU its name, utilisation and memory bars, temperature, power draw/limit, a utilisation
sparkline and its compute processes (pid, user, GPU memory, command); the ML processes on this host
(python, jupyter, torchrun, deepspeed, ...) with CPU% and RSS; warnings: GPU starved (utilisation below 10%
for 30 s while a process holds it), memory 95% full, thermal slowdown, power limit. When that does not fit the
terminal, one line per GPU; the process list scrolls with the arrow keys, PgUp/PgDn, j/k. q or Ctrl-C quits.
NO_COLOR or a non-terminal stdout gives plain text without escape codes; control characters in command lines
and names are shown escaped (\\n, \\x1b).

Exit codes: 0 ok; 1 failure (nvidia-smi hung or failed); 2 bad usage or a missing prerequisite (no nvidia-smi
or rocm-smi, driver not reachable, a log that cannot be written). Only --once exits for a missing GPU tool:
the live view, --watch and --prometheus keep running, report the problem and retry.
`;
