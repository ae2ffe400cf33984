// --help text: usage, options, and the formula and source behind every number.
export const HELP = `parallel_optimizer: memory, communication and layout for training a model on the GPUs at hand

Usage:
  parallel_optimizer --model ./checkpoints/model.safetensors          (GPUs detected with nvidia-smi)
  parallel_optimizer --params 7B --gpus 8 --gpu-memory 80GiB --seq-len 4096 --micro-batch 1
  parallel_optimizer --params 70B --nodes 4 --gpus-per-node 8 --explain
  parallel_optimizer ... --json

Model:
  --params COUNT          parameter count: 7B, 1.3e9, 350M (k, M, B, T suffixes)
  --model PATH            a .safetensors file, a model.safetensors.index.json, or a model directory;
                          only the headers are read (8-byte little-endian length + JSON); floating-point
                          tensors are counted, integer/bool buffers are not. .pt/.bin pickles: use --params
  --config PATH           config.json for the shape (default: next to --model)
  --layers N, --hidden-size N, --heads N, --vocab-size N
                          the transformer shape (default: config.json, else an estimate from
                          P ≈ 12·L·h² at h ≈ 128·L, heads of 128 (64) in multiples of 8, labelled)
  --kv-heads N            key/value heads with grouped-query attention (default: config.json's
                          num_key_value_heads, else --heads)
  --largest-layer COUNT   DeepSpeed's largest layer (default: from the checkpoint, else V·h or h·4h)

Training step:
  --seq-len N             tokens per sequence (default: config.json's max positions, else 2048)
  --micro-batch N         sequences per GPU per micro-batch (default 1)
  --global-batch N        sequences per optimizer step, a multiple of micro-batch x GPUs
                          (default 4 x micro-batch x GPUs: m = 4p micro-batches per pipeline, GPipe's
                          "negligible bubble" point)
  --precision P           bf16 (default), fp16 (mixed precision) or fp32
  --optimizer O           adam (default), adam8bit or sgd (with momentum)
  --grad-precision G      gradients of the Megatron layouts: fp32, bf16 or fp16 (default Megatron's:
                          fp32 main grads under bf16, fp16 under fp16)
  --recompute R           selective, none or full activation recomputation (default: selective, and
                          full where only full fits, before a more complex layout)
  --no-sequence-parallel  tensor parallel without sequence parallel
  --interleave V          interleaved pipeline chunks per GPU (default 1)
  --headroom F            share of GPU memory kept free, 0 to 0.9 (default 0.1: CUDA context, NCCL,
                          fragmentation)
  --mfu F                 model FLOPs utilisation for the step-time estimate (default 0.4)
  --peak-tflops X         dense 16-bit peak per GPU (default: A100 312, H100/H200 SXM 989, H100 PCIe 756)

Cluster (flags describe it; nvidia-smi fills in what they leave out):
  --gpus N                GPUs in total          --nodes N              nodes (default 1)
  --gpus-per-node N       GPUs per node          --gpu-memory SIZE      80GiB, 81920MiB, 40GB (bare = GiB)
  --gpu-name NAME         e.g. "NVIDIA H100 80GB HBM3" (picks bandwidth and peak defaults)
  --interconnect K        nvlink or pcie (default: nvidia-smi topo -m, else pcie)
  --bus-bandwidth GB/s    intra-node all-reduce busbw as nccl-tests prints it
  --inter-node-bandwidth GB/s   all-reduce busbw across nodes (defaults are capped at the intra-node busbw)

Output:
  --explain               the parallelization deep dive: diagrams, all-reduce arithmetic, when model
                          parallelism is needed
  --json                  one JSON object (shape in docs/tools/parallel-optimizer.md)
  --units U               memory in GiB (default), GB (decimal, the ZeRO paper's) or MiB
  --script PATH           training script in the launch commands (default train.py, pretrain_gpt.py
                          for Megatron layouts); arguments after -- replace the suggested arguments
Launch output (printed with the recommendation, and in --json): torchrun, accelerate launch with a generated
  config (DDP, DeepSpeed, FSDP2), the deepspeed launcher (+ hostfile on several nodes), ds_config.json
  (train_batch_size = micro x grad_acc x dp), megatron_pretrain.sh (model arguments from config.json,
  PLACEHOLDER variables for data, tokenizer, checkpoints, steps), an sbatch script
  -h, --help              this text

Formulas (sources in docs/tools/parallel-optimizer.md):
  model states     ZeRO paper (Rajbhandari et al. 2020) §III-A, Fig. 1: 2 + 2 + K bytes/param, K = 12 for
                   mixed-precision Adam: DDP 16Ψ; ZeRO-1 4Ψ + 12Ψ/N; ZeRO-2 2Ψ + 14Ψ/N; ZeRO-3 16Ψ/N.
                   fp32: 4 + 4 + 8; SGD momentum K = 4 + 4; 8-bit Adam K = 4 + 2 (HF model_memory_anatomy)
  Megatron states  tp, pp, 3d: Megatron-LM dist_optimizer.md table: bf16 + fp32 main grads 18 or 6 + 12/d
                   (distributed optimizer); fp16/fp16 20 or 4 + 16/d; fp32 16 or 8 + 8/d. Layouts: t divides
                   heads and KV heads, p (p·v) divides the layers
  activations      Korthikanti et al. 2022 Table 2, per layer: sbh(34 + 5as/h); TP sbh(10 + 24/t + 5as/(ht));
                   TP+SP (sbh/t)(34 + 5as/h); selective recompute sbh(10 + 24/t) or 34sbh/t with SP;
                   full recompute 2sbh. 1F1B: the first stage holds L layers' worth when m >= p.
                   GQA (r = KV heads/heads): 34 -> 30 + 4r, 24 -> 20 + 4r
  all-reduce       nccl-tests PERFORMANCE.md: t = (S/busbw)·2(n-1)/n; algbw = S/t; busbw = algbw·2(n-1)/n.
                   S = parameters x gradient bytes (2 in bf16/fp16, 4 in fp32). ZeRO §VII: ZeRO-1/2 move
                   2Ψ per gradient reduction like DDP; per step DDP and ZeRO-1 reduce once, ZeRO-2 reduce-
                   scatters every micro-batch: m·(n-1)/n·S + (n-1)/n·S = (m+1)/2 x DDP; ZeRO-3 m·3(n-1)/n·S
  tensor parallel  Narayanan et al. 2021 §3.2: 8bsh(t-1)/t elements per layer per micro-batch
  pipeline         bubble (p-1)/m of the ideal time (1F1B), (p-1)/(v·m) interleaved (Narayanan et al. 2021
                   §2.2); GPipe's (p-1)/(m+p-1) is the share of the total time ((p-1)/(v·m+p-1)
                   interleaved); p2p 2bsh/t per micro-batch
  compute          6·N·tokens FLOPs (8·N·tokens with full recompute) at MFU x peak: an estimate
  efficiency       compute / (compute·(1 + bubble) + communication), with and without overlap
  DeepSpeed        estimate_zero2/zero3_model_states_mem_needs (current code, buffer factor 1.5), printed
                   as DeepSpeed prints it ("GB" = GiB)
  inference        accelerate estimate-memory's columns: float32/16-bit/int8/int4 = 4/2/1/0.5 bytes per
                   parameter, largest layer, training with Adam 4x (fp32) or 2x (16-bit) the fp32 size;
                   KV cache 2·L·(KV heads)·(h/a)·2 bytes per token
  recommendation   Megatron (Narayanan et al. 2021 §3): DDP if it fits; else ZeRO-1/2 (traffic vs DDP cited); else
                   ZeRO-3/FSDP when its traffic hides behind compute; else TP up to a node, PP across nodes,
                   DP over the rest; else CPU offload

Every number has a range (--gpus 1 to 1048576, ...: docs/tools/parallel-optimizer.md); outside it: exit 2.
Exit codes: 0 ok, 1 failure, 2 bad usage or missing input (one line saying what to do).
`;
