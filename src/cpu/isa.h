/* Instruction-set levels and the table of dispatched primitives. Every layer is written once over these few
   primitives; each ISA compiles the same kernel source (kernels_impl.h) with its own flags. The level is chosen per
   instance (tests force every level the machine supports). */
#ifndef TRIODE_CPU_ISA_H
#define TRIODE_CPU_ISA_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
  TRI_ISA_SCALAR = 0,
  TRI_ISA_SSE2 = 1,
  TRI_ISA_AVX2 = 2,   /* AVX2 + FMA */
  TRI_ISA_AVX512 = 3, /* AVX-512 F */
  TRI_ISA_NEON = 4,
  TRI_ISA_COUNT
} TriIsa;

/* Dense product over row pointers: out[o][t] = add[o][t] + bias[o] + sum_j wt[j * cout + o] * rows[j][t], t in
   [0, n); `add` (row stride ldadd) is optional and may be `out` itself (accumulate).
   `rows` lists the input rows (a dilated conv passes one pointer per tap and input channel, already shifted). */
typedef struct {
  const float* wt;   /* J x cout, transposed so one input's weights for all outputs are contiguous */
  const float* bias; /* cout or NULL */
  int cout, nrows;   /* nrows = J */
} TriGemm;

/* One whole WaveNet layer of the common shape (no FiLM, no gating, layer1x1 without FiLM, no head1x1, B = C up to
   the level's wn_max_c):
   z = conv+mixin product, a = act(z), S += a, next = x + L1 a + b1, with the block kept in registers.
   The layer's constant part: built once per instance (the history offsets depend on its row stride), so a block
   only passes the pointers of TriWnIo. */
enum { TRI_FUSED_TANH, TRI_FUSED_FASTTANH, TRI_FUSED_LEAKY };
enum { TRI_CHAIN_TANH, TRI_CHAIN_SIGMOID, TRI_CHAIN_FASTTANH };
enum { TRI_FUSED_MAX_C = 16 }; /* the widest on any level; TriKernels.wn_max_c is this level's */
typedef struct {
  int C;
  int nhist;        /* conv rows: one per tap and channel, oldest tap first */
  const long* off;  /* nhist offsets of those rows from the layer input x (its history: rows of a fixed stride) */
  int ncond;        /* condition (mixin) rows, after the conv rows */
  const float* zwt; /* (nhist + ncond) x C */
  const float* zb;  /* C */
  int act;          /* TRI_FUSED_* */
  float slope;      /* TRI_FUSED_LEAKY: 0 for ReLU */
  const float* l1wt; /* C x C, input-major: l1wt[i * C + o] */
  const float* l1b;  /* C */
} TriWnFused;

/* One block's buffers for a fused layer. */
typedef struct {
  const float* x; /* layer input: the current block of its history (C rows of stride ldx) */
  int ldx;
  const float* c; /* condition, ncond rows of stride ldc */
  int ldc;
  float* next; /* layer output, C rows of stride ldnext */
  int ldnext;
  float* S; /* head accumulator, C rows of stride ldS */
  int ldS;
} TriWnIo;

/* An LSTM stack (spec §3.3) over a run of frames, frame by frame through every layer (the layers of one frame are
   independent of the next frame's first layer, which keeps two dependent chains in flight). Per layer and frame the
   gates q = b + W [x; h] are formed (bias, then the inputs, then h, in that order) and c, h are updated. */
typedef struct {
  int I;           /* inputs: the model's for layer 0, H after */
  const float* wt; /* (I + H) x 4H, input-major: wt[j * 4H + r], gates in the order i, f, g, o */
  const float* b;  /* 4H */
  float* xh;       /* state: I + H floats, h at xh + I (the input slots are scratch), then TRI_LSTM_SLACK floats */
  float* c;        /* state: H floats, then TRI_LSTM_SLACK */
} TriLstmLayerRun;

/* Floats of scratch after each state buffer: the kernels may write whole vectors past H. */
enum { TRI_LSTM_SLACK = 16 };
/* Frames per chunk of a stack run layer by layer (see lstm_run). */
enum { TRI_LSTM_CHUNK = 16 };

/* Lane tables of the one-register cell (4H <= 16 lanes), built once per model by tri_lstm_lanes_init. */
typedef struct {
  int32_t bcast[4][16]; /* bcast[j]: every lane reads lane j */
  int32_t gate[3][16];  /* lane u < H reads the f, g, o lane of unit u (others read lane 0) */
  float scale[16], offset[16], glane[16], mask[16];
} TriLstmLanes;
void tri_lstm_lanes_init(TriLstmLanes* t, int H);

typedef struct {
  int nlayers, H;
  const TriLstmLayerRun* layers;
  const TriLstmLanes* lanes; /* NULL: the generic step */
  const float* x;            /* model input i of frame t at x[i * sxi + t * sxt] */
  long sxi, sxt;
  float* q;  /* scratch: 4H floats, then TRI_LSTM_SLACK zeros */
  const float* hw; /* head: nout x H */
  const float* hb; /* nout */
  int nout;
  float* out; /* output o of frame t at out[o * ldout + t] = hb[o] + sum_j hw[o][j] h[j] */
  long ldout;
  bool fast; /* the reference's fast tanh / sigmoid */
  float* seq; /* scratch for stacks of two or more layers: 2 x TRI_LSTM_CHUNK x H floats; NULL: frame by frame */
} TriLstmRun;

typedef struct {
  TriIsa isa;
  const char* name;
  int lanes; /* floats per vector: kernels that run frames as lanes want blocks of at least this many frames */
  bool masked; /* partial vectors load and store cheaply (masks), so a short block may run as one partial vector */
  void (*gemm)(const TriGemm* g, const float* const* rows, float* out, int ldout, int n, const float* add,
               int ldadd);
  void (*tanh)(float* x, int n);         /* matches tanhf within 2 ulp */
  void (*fast_tanh)(float* x, int n);    /* the reference's rational approximation */
  void (*sigmoid)(float* x, int n);      /* 1 / (1 + exp(-x)) */
  void (*fast_sigmoid)(float* x, int n); /* 0.5 * (fast_tanh(x / 2) + 1) */
  void (*silu)(float* x, int n);
  void (*add)(float* dst, const float* src, int n);   /* dst += src */
  void (*mul)(float* dst, const float* src, int n);   /* dst *= src */
  void (*scale)(float* x, float s, int n);            /* x *= s */
  /* y[o] = bias[o] + sum_j wt[j * cout + o] * x[j] (one frame; the LSTM's gate product). */
  void (*matvec)(const TriGemm* g, const float* x, float* y);
  /* LSTM cell on gates q = [i; f; g; o] (4H): c = s(f) c + s(i) t(g); h = s(o) t(c). fast: reference fast tanh. */
  /* q, c and h are each followed by TRI_LSTM_SLACK floats: the cell reads q's (finite) and may overwrite c's, h's. */
  void (*lstm_cell)(const float* q, float* c, float* h, int H, bool fast);
  void (*leaky)(float* x, int n, float slope);        /* x > 0 ? x : slope * x (ReLU, LeakyReLU, PReLU rows) */
  void (*clamp)(float* x, int n, float lo, float hi); /* Hardtanh */
  void (*wn_layer)(const TriWnFused* f, const TriWnIo* io, int n); /* n frames; see TriWnFused */
  int wn_max_c; /* widest layer wn_layer runs (8 or TRI_FUSED_MAX_C); wider ones take the unfused path */
  void (*lstm_run)(const TriLstmRun* r, int n);       /* n frames of an LSTM stack; see TriLstmRun */
  float (*fma_burst)(long rounds); /* rounds x fma_per_burst_round register multiply-adds (the peak rate) */
  float (*act_chain)(int kind, long iters); /* iters dependent evaluations x = f(x) on a register (the latency);
                                                kind: TRI_CHAIN_* */
  int fma_per_burst_round;
} TriKernels;

/* Highest level this CPU and OS support. */
TriIsa tri_isa_detect(void);
/* Whether `isa` can run here. */
bool tri_isa_supported(TriIsa isa);
/* Level named by TRIODE_ISA (scalar|sse2|avx2|avx512|neon), clamped to what runs here; else the best. */
TriIsa tri_isa_default(void);
/* Parses a name; returns false when unknown. */
bool tri_isa_parse(const char* name, TriIsa* isa);
/* Kernel table of a level; a level that was not compiled in falls back to the best compiled one below it. */
const TriKernels* tri_kernels(TriIsa isa);

/* Per-ISA tables, defined by the stubs that are compiled for this target. */
extern const TriKernels tri_kernels_scalar;
extern const TriKernels tri_kernels_sse2;
extern const TriKernels tri_kernels_avx2;
extern const TriKernels tri_kernels_avx512;
extern const TriKernels tri_kernels_neon;

#endif
