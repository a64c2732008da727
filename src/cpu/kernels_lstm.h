/* LSTM: the cell and the whole-stack runs (one-register cells, gates in registers, the generic step).
   Part of the kernel source: included once per ISA by kernels_impl.h, after simd.h (no include guard). */

/* Small cells (4H fits one vector): one sigmoid and one tanh over all gate lanes at once, blended per lane (g lanes
   take tanh), then the c / h updates on the few lanes. Three transcendental evaluations instead of five. */
#if TRI_VL >= 8
static void
TRI_FN(lstm_cell_small_)(const float* q, float* c, float* h, int H, bool fast)
{
  static const float lane[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  const tri_vf qv = VLOAD_N(q, 4 * H);
  const tri_vf s = fast ? TRI_FN(v_fast_sigmoid_)(qv) : TRI_FN(v_sigmoid_)(qv);
  const tri_vf th = fast ? TRI_FN(v_fast_tanh_)(qv) : TRI_FN(v_tanh_)(qv);
  const tri_vf idx = VLOAD(lane);
  const tri_vf act = VSELLT(idx, VSET1((float)(2 * H)), s, VSELLT(idx, VSET1((float)(3 * H)), th, s));
  float a[TRI_VL];
  VSTORE(a, act);
  float cn[TRI_VL] = {0};
  for (int j = 0; j < H; ++j) cn[j] = a[H + j] * c[j] + a[j] * a[2 * H + j];
  const tri_vf cv = VLOAD(cn);
  float tc[TRI_VL];
  VSTORE(tc, fast ? TRI_FN(v_fast_tanh_)(cv) : TRI_FN(v_tanh_)(cv));
  for (int j = 0; j < H; ++j) {
    c[j] = cn[j];
    h[j] = a[3 * H + j] * tc[j];
  }
}
#endif

static void
TRI_FN(lstm_cell_)(const float* q, float* c, float* h, int H, bool fast)
{
#if TRI_VL >= 8
  if (4 * H <= TRI_VL) {
    TRI_FN(lstm_cell_small_)(q, c, h, H, fast);
    return;
  }
#endif
  /* Whole vectors over the slack after q, c and h (see TriLstmRun): the next step's loads of c and h are then
     forwarded from whole-vector stores instead of waiting on masked ones; the extra lanes hold finite scratch. */
  for (int t = 0; t < H; t += TRI_VL) {
    const tri_vf qi = VLOAD(q + t), qf = VLOAD(q + H + t), qg = VLOAD(q + 2 * H + t), qo = VLOAD(q + 3 * H + t);
    const tri_vf cv = VLOAD(c + t);
    tri_vf cn, hn;
    if (fast) {
      cn = VADD(VMUL(TRI_FN(v_fast_sigmoid_)(qf), cv), VMUL(TRI_FN(v_fast_sigmoid_)(qi), TRI_FN(v_fast_tanh_)(qg)));
      hn = VMUL(TRI_FN(v_fast_sigmoid_)(qo), TRI_FN(v_fast_tanh_)(cn));
    } else {
      cn = VADD(VMUL(TRI_FN(v_sigmoid_)(qf), cv), VMUL(TRI_FN(v_sigmoid_)(qi), TRI_FN(v_tanh_)(qg)));
      hn = VMUL(TRI_FN(v_sigmoid_)(qo), TRI_FN(v_tanh_)(cn));
    }
    VSTORE(c + t, cn);
    VSTORE(h + t, hn);
  }
}

/* The head of an LSTM stack for frame t from the last layer's h, summed in the reference's order. */
static inline void
TRI_FN(lstm_head_)(const TriLstmRun* p, const float* h, int t)
{
  for (int o = 0; o < p->nout; ++o) {
    const float* w = p->hw + (size_t)o * (size_t)p->H;
    float acc = 0.0f;
    for (int j = 0; j < p->H; ++j) acc += w[j] * h[j];
    p->out[o * p->ldout + t] = acc + p->hb[o];
  }
}

/* An LSTM stack, frame by frame: the generic step (mat-vec over [x; h], then the cell) for any H and level; the
   state buffers carry the cell's slack (see TriLstmRun). */
static void
TRI_FN(lstm_run_generic_)(const TriLstmRun* p, int n)
{
  const int H = p->H;
  for (int t = 0; t < n; ++t) {
    const float* x = p->x + t * p->sxt;
    long sx = p->sxi;
    for (int l = 0; l < p->nlayers; ++l) {
      const TriLstmLayerRun* L = &p->layers[l];
      float* h = L->xh + L->I;
      for (int i = 0; i < L->I; ++i) L->xh[i] = x[i * sx];
      const TriGemm g = {L->wt, L->b, 4 * H, L->I + H};
      TRI_FN(matvec_)(&g, L->xh, p->q);
      TRI_FN(lstm_cell_)(p->q, L->c, h, H, p->fast);
      x = h;
      sx = 1;
    }
    TRI_FN(lstm_head_)(p, x, t);
  }
}

#if TRI_HAS_PERM
enum { TRI_LSTM_SMALL_LAYERS = 4 };
/* Lane tables and per-layer weights of the one-register cell, loaded once per call. */
typedef struct {
  tri_vi bj[TRI_VL / 4], pf, pg, po;
  tri_vf scale, offset, glane, mask;
} TRI_FN(LstmLanesV_);

/* One step of one layer from q = b + sum wx_i x_i (the inputs' part, formed by the caller): adds sum wh_j h_j,
   then the cell. */
static inline void
TRI_FN(lstm_small_step_)(const TRI_FN(LstmLanesV_)* T, int H, tri_vf q, const tri_vf* wh, tri_vf* h, tri_vf* c,
                         bool fast)
{
  enum { U = TRI_VL / 4 };
  _Pragma("GCC unroll 4") for (int j = 0; j < U; ++j) if (j < H) q = VFMA(wh[j], VPERM(*h, T->bj[j]), q);
  tri_vf act;
  if (fast) {
    act = VFMA(TRI_FN(v_fast_tanh_)(VMUL(q, T->scale)), T->scale, T->offset);
  } else {
    const tri_vf sg = TRI_FN(v_sigmoid_)(q), th = TRI_FN(v_tanh_)(q);
    act = VSELLT(VZERO(), T->glane, th, sg);
  }
  const tri_vf f = VMUL(VPERM(act, T->pf), T->mask), g = VMUL(VPERM(act, T->pg), T->mask), o = VPERM(act, T->po);
  *c = VADD(VMUL(f, *c), VMUL(act, g));
  *h = VMUL(o, fast ? TRI_FN(v_fast_tanh_)(*c) : TRI_FN(v_tanh_)(*c));
}

/* Gates that fit one vector (4H <= lanes): a step never leaves the registers, which is what bounds a small cell (its
   cost is the latency of one dependent chain per frame). h is broadcast lane by lane by permutes, the f, g and o lanes
   are moved under the i lanes by permutes, and lanes past H are kept at zero. The fast path takes its three
   sigmoids and one tanh as one tanh of q scaled per lane, since the reference defines its fast sigmoid as
   (1 + fast_tanh(x / 2)) / 2; the exact path evaluates sigmoid and tanh side by side and picks per lane. A single
   layer with one input (the common case) keeps everything in named registers. */
static void
TRI_FN(lstm_run_small_)(const TriLstmRun* p, int n)
{
  enum { U = TRI_VL / 4 };
  const int H = p->H, G = 4 * H, nl = p->nlayers;
  const TriLstmLanes* tab = p->lanes;
  TRI_FN(LstmLanesV_) T;
  for (int j = 0; j < U; ++j) T.bj[j] = VIDX(tab->bcast[j]);
  T.pf = VIDX(tab->gate[0]);
  T.pg = VIDX(tab->gate[1]);
  T.po = VIDX(tab->gate[2]);
  T.scale = VLOAD(tab->scale);
  T.offset = VLOAD(tab->offset);
  T.glane = VLOAD(tab->glane);
  T.mask = VLOAD(tab->mask);
  const bool fast = p->fast;
  tri_vf h[TRI_LSTM_SMALL_LAYERS], c[TRI_LSTM_SMALL_LAYERS], b[TRI_LSTM_SMALL_LAYERS];
  tri_vf wx[TRI_LSTM_SMALL_LAYERS][U], wh[TRI_LSTM_SMALL_LAYERS][U];
  for (int l = 0; l < nl; ++l) {
    const TriLstmLayerRun* L = &p->layers[l];
    h[l] = VLOAD_N(L->xh + L->I, H);
    c[l] = VLOAD_N(L->c, H);
    b[l] = VLOAD_N(L->b, G);
    for (int j = 0; j < U; ++j) {
      wx[l][j] = l > 0 && j < H ? VLOAD_N(L->wt + (size_t)j * (size_t)G, G) : VZERO();
      wh[l][j] = j < H ? VLOAD_N(L->wt + (size_t)(L->I + j) * (size_t)G, G) : VZERO();
    }
  }
  const int I0 = p->layers[0].I;
  if (nl == 1 && I0 == 1) {
    const tri_vf w0 = VLOAD_N(p->layers[0].wt, G);
    tri_vf hh = h[0], cc = c[0];
    for (int t = 0; t < n; ++t) {
      TRI_FN(lstm_small_step_)(&T, H, VFMA(w0, VSET1(p->x[t * p->sxt]), b[0]), wh[0], &hh, &cc, fast);
      float hv[TRI_VL];
      VSTORE(hv, hh);
      TRI_FN(lstm_head_)(p, hv, t);
    }
    h[0] = hh;
    c[0] = cc;
  } else {
    for (int t = 0; t < n; ++t) {
      tri_vf q0 = b[0];
      for (int i = 0; i < I0; ++i)
        q0 = VFMA(VLOAD_N(p->layers[0].wt + (size_t)i * (size_t)G, G), VSET1(p->x[i * p->sxi + t * p->sxt]), q0);
      TRI_FN(lstm_small_step_)(&T, H, q0, wh[0], &h[0], &c[0], fast);
      for (int l = 1; l < nl; ++l) {
        tri_vf q = b[l];
        _Pragma("GCC unroll 4") for (int i = 0; i < U; ++i) if (i < H) q = VFMA(wx[l][i], VPERM(h[l - 1], T.bj[i]), q);
        TRI_FN(lstm_small_step_)(&T, H, q, wh[l], &h[l], &c[l], fast);
      }
      float hv[TRI_VL];
      VSTORE(hv, h[nl - 1]);
      TRI_FN(lstm_head_)(p, hv, t);
    }
  }
  for (int l = 0; l < nl; ++l) {
    VSTORE_N(p->layers[l].xh + p->layers[l].I, h[l], H);
    VSTORE_N(p->layers[l].c, c[l], H);
  }
}
#endif

/* H a multiple of the lanes (NG vectors per gate, 4 NG <= 16 accumulators): the gate vectors of one unit block line
   up, so the products stay in registers through the cell; h goes through memory only to be broadcast. A stack of
   two or more layers runs layer by layer over chunks of TRI_LSTM_CHUNK frames (each layer's outputs for the chunk kept
   in p->seq for the next): one layer's weights at a time stay in L1, and an upper layer's input products for the
   next frame no longer wait on the layer below (measured, avx512 block 64: 2x32 38x -> 53x, 3x32 23x -> 33x, 2x24
   70x -> 71x). Every sum is formed as frame by frame, in the same order, so the output is the same. */
#define TRI_LSTM_ALIGNED(NG)                                                                                         \
  /* One frame of one layer: inputs x[i * sxi], state h and L->c; h is also stored at `so` when given. */            \
  static inline TRI_ALWAYS_INLINE void TRI_FN(lstm_step_a##NG##_)(const TriLstmRun* p, const TriLstmLayerRun* L,     \
                                                                   const float* x, long sxi, float* so)              \
  {                                                                                                                  \
    enum { NV = 4 * NG };                                                                                            \
    const int H = p->H, G = 4 * H;                                                                                   \
    float* h = L->xh + L->I;                                                                                         \
    tri_vf a[NV];                                                                                                    \
    _Pragma("GCC unroll 16") for (int v = 0; v < NV; ++v) a[v] = VLOAD(L->b + v * TRI_VL);                           \
    for (int i = 0; i < L->I; ++i) {                                                                                 \
      const tri_vf xi = VSET1(x[i * sxi]);                                                                           \
      const float* w = L->wt + (size_t)i * (size_t)G;                                                                \
      _Pragma("GCC unroll 16") for (int v = 0; v < NV; ++v) a[v] = VFMA(VLOAD(w + v * TRI_VL), xi, a[v]);            \
    }                                                                                                                \
    for (int j = 0; j < H; ++j) {                                                                                    \
      const tri_vf hj = VSET1(h[j]);                                                                                 \
      const float* w = L->wt + (size_t)(L->I + j) * (size_t)G;                                                       \
      _Pragma("GCC unroll 16") for (int v = 0; v < NV; ++v) a[v] = VFMA(VLOAD(w + v * TRI_VL), hj, a[v]);            \
    }                                                                                                                \
    _Pragma("GCC unroll 4") for (int u = 0; u < NG; ++u)                                                             \
    {                                                                                                                \
      tri_vf ig, fg, gg, og;                                                                                         \
      if (p->fast) {                                                                                                 \
        ig = TRI_FN(v_fast_sigmoid_)(a[u]);                                                                          \
        fg = TRI_FN(v_fast_sigmoid_)(a[NG + u]);                                                                     \
        gg = TRI_FN(v_fast_tanh_)(a[2 * NG + u]);                                                                    \
        og = TRI_FN(v_fast_sigmoid_)(a[3 * NG + u]);                                                                 \
      } else {                                                                                                       \
        ig = TRI_FN(v_sigmoid_)(a[u]);                                                                               \
        fg = TRI_FN(v_sigmoid_)(a[NG + u]);                                                                          \
        gg = TRI_FN(v_tanh_)(a[2 * NG + u]);                                                                         \
        og = TRI_FN(v_sigmoid_)(a[3 * NG + u]);                                                                      \
      }                                                                                                              \
      const tri_vf cn = VADD(VMUL(fg, VLOAD(L->c + u * TRI_VL)), VMUL(ig, gg));                                      \
      const tri_vf hn = VMUL(og, p->fast ? TRI_FN(v_fast_tanh_)(cn) : TRI_FN(v_tanh_)(cn));                          \
      VSTORE(L->c + u * TRI_VL, cn);                                                                                 \
      VSTORE(h + u * TRI_VL, hn);                                                                                    \
      if (so) VSTORE(so + u * TRI_VL, hn);                                                                           \
    }                                                                                                                \
  }                                                                                                                  \
  static void TRI_FN(lstm_run_a##NG##_)(const TriLstmRun* p, int n)                                                  \
  {                                                                                                                  \
    const int H = p->H, nl = p->nlayers;                                                                             \
    if (!p->seq || nl == 1) { /* frame by frame through the layers */                                                \
      for (int t = 0; t < n; ++t) {                                                                                  \
        const float* x = p->x + t * p->sxt;                                                                          \
        long sx = p->sxi;                                                                                            \
        for (int l = 0; l < nl; ++l) {                                                                               \
          TRI_FN(lstm_step_a##NG##_)(p, &p->layers[l], x, sx, NULL);                                                 \
          x = p->layers[l].xh + p->layers[l].I;                                                                      \
          sx = 1;                                                                                                    \
        }                                                                                                            \
        TRI_FN(lstm_head_)(p, x, t);                                                                                 \
      }                                                                                                              \
      return;                                                                                                        \
    }                                                                                                                \
    for (int t0 = 0; t0 < n; t0 += TRI_LSTM_CHUNK) { /* layer by layer over chunks */                                \
      const int m = n - t0 < TRI_LSTM_CHUNK ? n - t0 : TRI_LSTM_CHUNK;                                               \
      const float* xb = p->x + t0 * p->sxt; /* layer input i of chunk frame t at xb[i * sxi + t * sxt] */            \
      long sxi = p->sxi, sxt = p->sxt;                                                                               \
      for (int l = 0; l < nl; ++l) {                                                                                 \
        const TriLstmLayerRun* L = &p->layers[l];                                                                    \
        const bool last = l == nl - 1;                                                                               \
        float* so = last ? NULL : p->seq + (size_t)(l & 1) * TRI_LSTM_CHUNK * (size_t)H;                             \
        for (int t = 0; t < m; ++t) {                                                                                \
          TRI_FN(lstm_step_a##NG##_)(p, L, xb + t * sxt, sxi, so ? so + (size_t)t * (size_t)H : NULL);               \
          if (last) TRI_FN(lstm_head_)(p, L->xh + L->I, t0 + t);                                                     \
        }                                                                                                            \
        xb = so; /* the next layer reads this one's outputs for the chunk */                                         \
        sxi = 1;                                                                                                     \
        sxt = H;                                                                                                     \
      }                                                                                                              \
    }                                                                                                                \
  }
TRI_LSTM_ALIGNED(1)
TRI_LSTM_ALIGNED(2)
TRI_LSTM_ALIGNED(3)
TRI_LSTM_ALIGNED(4)

static void
TRI_FN(lstm_run_)(const TriLstmRun* p, int n)
{
#if TRI_HAS_PERM
  if (p->lanes && 4 * p->H <= TRI_VL && p->nlayers <= TRI_LSTM_SMALL_LAYERS) {
    TRI_FN(lstm_run_small_)(p, n);
    return;
  }
#endif
#if defined(TRI_SIMD_AVX512)
  /* H a multiple of 8 but not of 16 (2x24): the AVX2 kernel's whole 8-lane vectors keep the gate products in
     registers, where 16 lanes would leave half a vector per gate to the generic step. Measured on 2x24: equal with
     exact tanh, +16 % with fast tanh. */
  if (p->H % 16 != 0 && p->H % 8 == 0 && p->H <= 32) {
    tri_kernels_avx2.lstm_run(p, n);
    return;
  }
#endif
  /* Up to 4 NG = 16 gate accumulators: twice TRI_ACC still fits the register file beside a weight and a broadcast
     (measured: SSE2 1x16 +10 %, AVX2 2x24 +12 %); with fewer registers (scalar) the generic step is faster. */
  enum { NG_MAX = 2 * TRI_ACC / 4 < 2 ? 2 : 2 * TRI_ACC / 4 > 4 ? 4 : 2 * TRI_ACC / 4 };
  if (p->H % TRI_VL == 0 && p->H / TRI_VL <= NG_MAX) {
    static void (*const fns[5])(const TriLstmRun*, int) = {NULL, TRI_FN(lstm_run_a1_), TRI_FN(lstm_run_a2_),
                                                           TRI_FN(lstm_run_a3_), TRI_FN(lstm_run_a4_)};
    fns[p->H / TRI_VL](p, n);
    return;
  }
  TRI_FN(lstm_run_generic_)(p, n);
}
