/* Program descriptors: what a kernel needs to know about a group's model shape, as plain ints so one byte blob is
   copied to the device unchanged and compared with memcmp to group models by shape. Weights are not in here: every
   `w`/`b`/`p` field is a float offset into one weight set, every `ring` a float offset into one slot's state.
   Compiled as C11 (host) and as CUDA C++ (device). */
#ifndef TRIODE_GPU_KERNELS_DESC_H
#define TRIODE_GPU_KERNELS_DESC_H

enum { TRI_K_WAVENET = 1, TRI_K_LSTM = 2, TRI_K_CONVNET = 3, TRI_K_LINEAR = 4 };

/* Per-thread accumulator rows of the frame-parallel kernels (WaveNet z = conv + mixin, ConvNet block outputs). */
enum { TRI_K_ZMAX = 64 };
enum { TRI_K_WN_MAX_ARRAYS = 8 };

/* Activations (spec §2.4); the values are the kernels' own, mapped from the loader's at import. */
enum {
  TRI_KA_IDENTITY,
  TRI_KA_TANH,
  TRI_KA_FASTTANH,
  TRI_KA_HARDTANH,
  TRI_KA_RELU,
  TRI_KA_LEAKYRELU, /* p[0] slope */
  TRI_KA_PRELU,     /* nslopes per-row slopes at p, or one at p when nslopes == 0 */
  TRI_KA_SIGMOID,
  TRI_KA_SILU,
  TRI_KA_HARDSWISH,
  TRI_KA_LEAKYHARDTANH, /* p[0..3]: lo, hi, slope below, slope above */
  TRI_KA_SOFTSIGN,
};

enum { TRI_KG_NONE = 0, TRI_KG_GATED = 1, TRI_KG_BLENDED = 2 };

typedef struct {
  int kind, p, nslopes;
} TriKAct;

/* A conv's shape and where its weights are. Layout of the weights depends on how the kernel reads them; each
   field's comment in the item structs says which. cout == 0 marks an absent conv; b < 0 an absent bias. */
typedef struct {
  int cin, cout, k, dil, w, b;
} TriKConv;

/* ---- WaveNet ------------------------------------------------------------------------------------------------ */

typedef struct {
  int w0, wn;     /* the layer's weights are the run [w0, w0 + wn) of the set; offsets below are relative to w0 */
  TriKConv conv;  /* C -> Z, dilated: w[(tap * C + i) * Z + o], bias Z */
  TriKConv mixin; /* Dc -> Z: w[j * Z + o] */
  TriKConv l1x1;  /* B -> C: w[c * B + j], bias C (cout 0: inactive, the residual passes x through) */
  TriKConv h1x1;  /* B -> Hw: w[h * B + j], bias Hw (cout 0: inactive, the head takes a) */
  TriKAct act, act2; /* act params p are relative to w0 too */
  int gating, B;
  int ring, mask; /* this layer's input history: C rows of mask + 1 floats at state offset `ring` */
  int fixed;      /* C when the layer runs the fixed-channel body (set at import), else 0: the general body */
} TriKWnLayer;

/* Channel counts with a fixed-channel WaveNet body (z in registers; the presets' 16/12/8/6/4/2 and 8/3), one entry
   X(C) each: import marks the layers, the kernel compiles one body per entry. */
#define TRI_K_WN_FIXED_LIST(X) X(2) X(3) X(4) X(6) X(8) X(12) X(16)
enum { TRI_K_WN_FIXED_CMAX = 16 }; /* the largest entry: the body's register array */

typedef struct {
  int C, B, Hw, head_size, in_size;
  int layer0, nlayers;
  TriKConv rechannel; /* in_size -> C: w[c * in_size + i] (absolute offsets) */
  TriKConv head;      /* Hw -> head_size, dilated: w[(o * K + tap) * Hw + h] (absolute offsets) */
  int head_ring, head_mask;
} TriKWnArray;

typedef struct {
  int narrays;
  int head_scale; /* offset of the scale */
  int s_rows;     /* shared rows (stride n): head accumulator S, max Hw and head_size over arrays */
  int xo_rows;    /* shared rows after S: the last layer's output feeding the next array (0 with one array) */
  TriKWnArray arrays[TRI_K_WN_MAX_ARRAYS];
} TriKWaveNet;

/* ---- LSTM --------------------------------------------------------------------------------------------------- */

typedef struct {
  int in;  /* input width of the layer */
  int wt;  /* (in + H) x 4H: wt[col * 4H + gate * H + j], gates [i, f, g, o] */
  int b;   /* 4H */
} TriKLstmLayer;

typedef struct {
  int L, H, O, fast;
  int head_w, head_b; /* O x H row-major, O */
  /* State: h at 0 (L x H), c at L*H (L x H). Shared: h double buffer (2 L H) then c (L H). */
} TriKLstm;

/* ---- ConvNet ------------------------------------------------------------------------------------------------ */

typedef struct {
  TriKConv conv;     /* cin -> C, K = 2: w[(tap * cin + i) * C + o]; bias absent with batchnorm */
  int scale, offset; /* folded batchnorm (C each), or -1 */
  int ring, mask;    /* input history: cin rows */
} TriKConvBlock;

typedef struct {
  int C, nblocks, O;
  TriKAct act;
  int head_w, head_b; /* O x C row-major, O */
} TriKConvNet;

/* ---- Linear ------------------------------------------------------------------------------------------------- */

typedef struct {
  int taps, h, bias; /* h[k] multiplies x[t - k]; bias offset or -1 */
  int ring, mask;
} TriKLinear;

/* ---- the program -------------------------------------------------------------------------------------------- */

typedef struct {
  int kind;
  int bytes;        /* size of the whole blob: this header then the items */
  int nparams;      /* floats in one weight set */
  int state_floats; /* floats of one slot's state */
  int cursor_mask;  /* the slot's cursor counts frames modulo the longest ring (all rings are powers of two) */
  int shm_fixed;    /* shared floats independent of the block size; staging area first (stage_floats of them) */
  int shm_rows;     /* shared floats per frame of the block */
  int stage_floats; /* largest weight run a kernel copies to shared memory at once (0: reads global memory) */
  int threads;      /* work items per slot the kernel is written for: frames (0) or a fixed count (LSTM: H) */
  int init_off, init_floats; /* restart image: params[init_off ..] copied to state[0 ..] (LSTM h0, c0) */
  int clear_on_reset;        /* reset zeroes the state (histories); else the state is kept (LSTM, Linear) */
  int items, nitems;         /* byte offset and count of the item array (layers, blocks) */
  union {
    TriKWaveNet wn;
    TriKLstm lstm;
    TriKConvNet cn;
    TriKLinear lin;
  } u;
} TriKProg;

/* Arguments of one launch: `count` slots from `slot0`. Passed by value to device kernels. */
typedef struct {
  const TriKProg* prog;
  const float* params;  /* every weight set, nparams floats each */
  const int* slot_set;  /* slot -> weight set */
  const int* slot_io;   /* slot -> row of in/out (instance index); NULL: row 0 for every slot (prewarm) */
  float* state;         /* every slot, state_floats each */
  unsigned* cursor;     /* every slot */
  const float* in;
  float* out;
  int n;     /* frames in this block */
  int slot0; /* first slot of this launch */
  int stage; /* stage weight runs in shared memory */
  int general; /* run every WaveNet layer through the general body (TRIODE_GPU_KERNEL=general, for measurement) */
} TriKArgs;

#endif
