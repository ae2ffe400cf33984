// What `--cluster-config KIND` writes: the pieces that watch many nodes each running `gpu_monitor --prometheus`,
// with Prometheus and Grafana doing the collecting (no aggregation server of our own).
// - prometheus: a scrape job for the nodes (static targets; file_sd and Kubernetes variants commented);
// - grafana: an importable dashboard (grafana-dashboard.ts);
// - slurm: a batch script that starts one exporter per node of the job (srun --ntasks-per-node=1 --overlap);
// - kubernetes: a DaemonSet, one exporter per GPU node, the script mounted from a ConfigMap.
// The exporter command line is one string (exporterArgs), the same in every file.
import { grafanaDashboard } from './grafana-dashboard.js';

export const CLUSTER_KINDS = ['prometheus', 'grafana', 'slurm', 'kubernetes', 'all'] as const;
export type ClusterKind = (typeof CLUSTER_KINDS)[number];

export interface ClusterOptions {
  port: number;
  /** Nodes to scrape; null = placeholders to replace. */
  nodes: string[] | null;
}

export interface ClusterFile {
  name: string;
  text: string;
  /** One line: what the file is and what to do with it. */
  use: string;
}

/** The exporter's arguments: every interface (Prometheus scrapes from another machine), the port given. */
export function exporterArgs(port: number): string[] {
  return ['--prometheus', String(port), '--host', '0.0.0.0'];
}

const PLACEHOLDER_NODES = ['gpu-node-1', 'gpu-node-2'];

function prometheusYaml({ port, nodes }: ClusterOptions): string {
  const targets = (nodes ?? PLACEHOLDER_NODES).map((node) => `          - ${node}:${port}`).join('\n');
  return `# Prometheus scrape configuration for gpu_monitor on many nodes (gpu_monitor --cluster-config prometheus).
# Every node runs: gpu_monitor ${exporterArgs(port).join(' ')}   (Slurm: gpu-monitor-slurm.sbatch; Kubernetes:
# gpu-monitor-daemonset.yaml). Use this file as prometheus.yml, or copy the job into your scrape_configs.
# The metrics carry dcgm-exporter's names and labels (DCGM_FI_DEV_*; gpu, UUID, modelName, Hostname, pci_bus_id).
global:
  scrape_interval: 15s
  evaluation_interval: 15s
scrape_configs:
  - job_name: gpu_monitor
    metrics_path: /metrics
    scrape_interval: 15s
    scrape_timeout: 10s
    static_configs:
      - targets:
${targets}
${nodes ? '' : '    # Replace the placeholder nodes above with yours, e.g. from Slurm: scontrol show hostnames "$SLURM_JOB_NODELIST"\n'}    # Or let Prometheus re-read the node list from a file whenever it changes (instead of static_configs):
    # file_sd_configs:
    #   - files: [/etc/prometheus/gpu_monitor_targets.json]   # [{"targets": ["node-1:${port}", "node-2:${port}"]}]
  # With Prometheus inside the Kubernetes cluster, the DaemonSet's pods are found by their label instead:
  # - job_name: gpu_monitor_kubernetes
  #   kubernetes_sd_configs:
  #     - role: pod
  #   relabel_configs:
  #     - source_labels: [__meta_kubernetes_pod_label_app_kubernetes_io_name]
  #       regex: gpu-monitor
  #       action: keep
  #     - source_labels: [__meta_kubernetes_pod_node_name]
  #       target_label: node
`;
}

function slurmScript({ port }: ClusterOptions): string {
  return `#!/usr/bin/env bash
# gpu_monitor next to a Slurm job: one exporter per node (gpu_monitor --cluster-config slurm).
# Each node of the job then serves http://<node>:${port}/metrics for the gpu_monitor job in prometheus-gpu-monitor.yml.
# The exporter step shares the job's CPUs and GPUs with the training steps (--overlap), sees the GPUs the job was
# given, and ends with the job. Two jobs on one node need two ports. Replace the #SBATCH lines and the training step
# with yours; run from the repository that holds scripts/gpu_monitor.mjs (needs node on the compute nodes).
#SBATCH --job-name=train
#SBATCH --nodes=2
#SBATCH --ntasks-per-node=1
#SBATCH --gpus-per-node=8
set -euo pipefail
cd "\${SLURM_SUBMIT_DIR:-.}"

srun --overlap --nodes="\${SLURM_JOB_NUM_NODES:-1}" --ntasks-per-node=1 --kill-on-bad-exit=0 \\
  node scripts/gpu_monitor.mjs ${exporterArgs(port).join(' ')} &
monitor=$!
trap 'kill "$monitor" 2>/dev/null || true' EXIT

# The training itself, for example:
srun python train.py
`;
}

function daemonSetYaml({ port }: ClusterOptions): string {
  const command = ['node', '/opt/gpu-monitor/gpu_monitor.mjs', ...exporterArgs(port)].map((arg) => JSON.stringify(arg)).join(', ');
  return `# gpu_monitor as a Kubernetes DaemonSet: one exporter per GPU node (gpu_monitor --cluster-config kubernetes).
# 1. The script comes from a ConfigMap made from the installed tool:
#      kubectl create namespace monitoring
#      kubectl -n monitoring create configmap gpu-monitor --from-file=gpu_monitor.mjs=scripts/gpu_monitor.mjs
# 2. kubectl apply -f gpu-monitor-daemonset.yaml
# The NVIDIA container runtime (GPU Operator or nvidia-container-toolkit) puts nvidia-smi and every GPU into the
# container through NVIDIA_VISIBLE_DEVICES=all without requesting nvidia.com/gpu, so no GPU is taken from a
# workload. Remove runtimeClassName if nvidia is the default runtime of your nodes. Prometheus finds the pods by
# their label (the gpu_monitor_kubernetes job in prometheus-gpu-monitor.yml).
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: gpu-monitor
  namespace: monitoring
  labels:
    app.kubernetes.io/name: gpu-monitor
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: gpu-monitor
  template:
    metadata:
      labels:
        app.kubernetes.io/name: gpu-monitor
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "${port}"
        prometheus.io/path: /metrics
    spec:
      runtimeClassName: nvidia
      nodeSelector:
        nvidia.com/gpu.present: "true"
      tolerations:
        - key: nvidia.com/gpu
          operator: Exists
          effect: NoSchedule
      containers:
        - name: gpu-monitor
          image: node:22-bookworm-slim
          command: [${command}]
          env:
            - name: NVIDIA_VISIBLE_DEVICES
              value: all
            - name: NVIDIA_DRIVER_CAPABILITIES
              value: utility
            - name: NODE_NAME
              valueFrom:
                fieldRef:
                  fieldPath: spec.nodeName
          ports:
            - name: metrics
              containerPort: ${port}
          readinessProbe:
            httpGet:
              path: /metrics
              port: metrics
          resources:
            requests:
              cpu: 50m
              memory: 64Mi
            limits:
              memory: 256Mi
          securityContext:
            runAsNonRoot: true
            runAsUser: 1000
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
          volumeMounts:
            - name: script
              mountPath: /opt/gpu-monitor
              readOnly: true
      volumes:
        - name: script
          configMap:
            name: gpu-monitor
`;
}

/** The files for one kind (all four for 'all'), in the order they are written. */
export function clusterFiles(kind: ClusterKind, options: ClusterOptions): ClusterFile[] {
  const files: Record<Exclude<ClusterKind, 'all'>, () => ClusterFile> = {
    prometheus: () => ({ name: 'prometheus-gpu-monitor.yml', text: prometheusYaml(options), use: 'Prometheus scrape job: use as prometheus.yml or copy the job into yours' }),
    grafana: () => ({
      name: 'grafana-gpu-monitor.json',
      text: `${JSON.stringify(grafanaDashboard(), null, 2)}\n`,
      use: 'Grafana dashboard: Dashboards > New > Import, upload this file, pick the Prometheus data source',
    }),
    slurm: () => ({ name: 'gpu-monitor-slurm.sbatch', text: slurmScript(options), use: 'Slurm batch script: one exporter per node next to the training; sbatch gpu-monitor-slurm.sbatch' }),
    kubernetes: () => ({ name: 'gpu-monitor-daemonset.yaml', text: daemonSetYaml(options), use: 'Kubernetes DaemonSet: create the ConfigMap named in its header, then kubectl apply -f it' }),
  };
  return kind === 'all' ? (['prometheus', 'grafana', 'slurm', 'kubernetes'] as const).map((k) => files[k]()) : [files[kind]()];
}
