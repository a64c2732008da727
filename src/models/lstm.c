/* LSTM model, spec §3.3. Gates in PyTorch order [i; f; g; o]; c is fully updated before h. The state is kept
   across Reset() like the reference; restart restores the file's stored initial state. */
#include "models/lstm.h"
#include "core/node.h"
#include "cpu/isa.h"
#include "dsp/activation.h"
#include "format/json_util.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef TriLstmLayer LstmLayer;
typedef TriLstm Lstm;

/* Each layer keeps its product input [x; h] as one vector, so the cell writes h in place and a step copies only the
   layer's input in (one frame value for layer 0). */
typedef struct {
  float* xh;   /* per layer: in_l + H floats, at offset xh_off[l] */
  size_t* xh_off;
  float* c;    /* nlayers x H */
  float* q;    /* 4H */
  float* seq;  /* stacks of two or more layers: 2 x TRI_LSTM_CHUNK x H (see TriLstmRun) */
  TriLstmLayerRun* run; /* per layer: weights and this state's buffers, as the kernel reads them */
  TriLstmLanes lanes;   /* lane tables of the one-register cell (4H <= 16) */
  size_t bytes;         /* what state_new allocated */
} LstmState;

/* Floats per cache line: the model's kernel block (see lstm_read) is laid out in whole lines. */
enum { LINE_FLOATS = 16 };

static size_t
round_line(size_t n)
{
  return (n + LINE_FLOATS - 1) / LINE_FLOATS * LINE_FLOATS;
}

/* n zeroed floats starting a cache line, carved from *mem (freed with free). */
static float*
calloc_lines(size_t n, void** mem)
{
  *mem = calloc(n + LINE_FLOATS - 1, sizeof(float));
  if (!*mem) return NULL;
  const uintptr_t line = LINE_FLOATS * sizeof(float);
  const uintptr_t a = ((uintptr_t)*mem + line - 1) & ~(line - 1);
  return (float*)a;
}

/* Floats per layer in the c buffer: H and the kernels' slack. */
static size_t
c_stride(int H)
{
  return (size_t)H + TRI_LSTM_SLACK;
}

static TriodeStatus
lstm_parse(TriLoadCtx* ctx, const cJSON* cfg, const char* path, TriNode* node)
{
  Lstm* m = calloc(1, sizeof *m);
  if (!m) return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, path, "out of memory");
  node->impl = m;
  long layers, input, hidden, in, out;
  TRI_TRY(tri_json_int(ctx, cfg, path, "num_layers", true, 0, 0, TRI_MAX_LAYERS, &layers));
  TRI_TRY(tri_json_int(ctx, cfg, path, "input_size", true, 0, 1, TRI_MAX_CHANNELS, &input));
  TRI_TRY(tri_json_int(ctx, cfg, path, "hidden_size", true, 0, 1, TRI_MAX_CHANNELS, &hidden));
  TRI_TRY(tri_json_int(ctx, cfg, path, "in_channels", false, 1, 1, TRI_MAX_CHANNELS, &in));
  TRI_TRY(tri_json_int(ctx, cfg, path, "out_channels", false, 1, 1, TRI_MAX_CHANNELS, &out));
  char p[TRI_PATH_MAX];
  if (input != in)
    return tri_fail(ctx, TRIODE_ERR_BAD_CONFIG, tri_path_key(p, sizeof p, path, "input_size"),
                    "input_size (%ld) must equal in_channels (%ld)", input, in);
  /* Dense floats: every layer's matrix plus the head. */
  long dense = 0;
  for (long l = 0; l < layers; ++l) dense += 4 * hidden * ((l == 0 ? input : hidden) + hidden) + 6 * hidden;
  TRI_TRY(tri_account_dense(ctx, path, dense + out * hidden + out));
  m->nlayers = (int)layers;
  m->input_size = (int)input;
  m->hidden = (int)hidden;
  m->fast = ctx->opts->fast_tanh;
  node->nin = (int)in;
  node->nout = (int)out;
  m->layers = calloc((size_t)(layers > 0 ? layers : 1), sizeof *m->layers);
  if (!m->layers) return tri_fail(ctx, TRIODE_ERR_NO_MEMORY, path, "out of memory");
  for (int l = 0; l < m->nlayers; ++l) {
    m->layers[l].in = l == 0 ? m->input_size : m->hidden;
    m->layers[l].hidden = m->hidden;
  }
  return TRIODE_SUCCESS;
}

static TriodeStatus
take_alloc(TriWeights* w, float** dst, size_t n)
{
  if (!w->counting) {
    *dst = malloc((n ? n : 1) * sizeof **dst);
    if (!*dst) return tri_fail(w->ctx, TRIODE_ERR_NO_MEMORY, w->path, "out of memory");
  }
  return tri_weights_take(w, *dst, n);
}

static TriodeStatus
lstm_read(TriNode* node, TriWeights* w)
{
  Lstm* m = node->impl;
  const size_t H = (size_t)m->hidden;
  for (int l = 0; l < m->nlayers; ++l) {
    LstmLayer* L = &m->layers[l];
    TRI_TRY(take_alloc(w, &L->w, 4 * H * ((size_t)L->in + H)));
    TRI_TRY(take_alloc(w, &L->b, 4 * H));
    TRI_TRY(take_alloc(w, &L->h0, H));
    TRI_TRY(take_alloc(w, &L->c0, H));
  }
  TRI_TRY(take_alloc(w, &m->head_w, (size_t)node->nout * H));
  TRI_TRY(take_alloc(w, &m->head_b, (size_t)node->nout));
  if (w->counting) return TRIODE_SUCCESS;
  /* The kernel block: the weights a step reads, contiguous. Allocated one by one, they ran a 2x24 stack at 60x or
     72x real time depending on where malloc put them (moving one layer's matrix to a fresh mapping made it fast at
     every offset within a page, so the page offset alone does not decide it; the machine has no counters to say
     more). In one block they sit alike relative to each other: 68-72x over five instances and several load orders. */
  const size_t nout = (size_t)node->nout;
  size_t total = round_line(nout * H) + round_line(nout);
  for (int l = 0; l < m->nlayers; ++l) total += round_line(((size_t)m->layers[l].in + H) * 4 * H) + round_line(4 * H);
  m->kernel_block = calloc_lines(total, &m->kernel_mem);
  if (!m->kernel_block) return tri_fail(w->ctx, TRIODE_ERR_NO_MEMORY, w->path, "out of memory");
  float* p = m->kernel_block;
  for (int l = 0; l < m->nlayers; ++l) {
    LstmLayer* L = &m->layers[l];
    const size_t J = (size_t)L->in + H;
    L->wt = p;
    for (size_t r = 0; r < 4 * H; ++r)
      for (size_t j = 0; j < J; ++j) L->wt[j * 4 * H + r] = L->w[r * J + j];
    p += round_line(J * 4 * H);
    L->bk = p;
    memcpy(L->bk, L->b, 4 * H * sizeof *L->bk);
    p += round_line(4 * H);
  }
  m->hk_w = p;
  memcpy(m->hk_w, m->head_w, nout * H * sizeof *m->hk_w);
  m->hk_b = p + round_line(nout * H);
  memcpy(m->hk_b, m->head_b, nout * sizeof *m->hk_b);
  return TRIODE_SUCCESS;
}

static void
lstm_destroy(void* impl)
{
  Lstm* m = impl;
  for (int l = 0; m->layers && l < m->nlayers; ++l) {
    free(m->layers[l].w);
    free(m->layers[l].b);
    free(m->layers[l].h0);
    free(m->layers[l].c0);
  }
  free(m->layers);
  free(m->head_w);
  free(m->head_b);
  free(m->kernel_mem);
  free(m);
}

static void
lstm_state_restart(const TriNode* node, void* state)
{
  const Lstm* m = node->impl;
  LstmState* s = state;
  for (int l = 0; l < m->nlayers; ++l) {
    memcpy(s->xh + s->xh_off[l] + m->layers[l].in, m->layers[l].h0, (size_t)m->hidden * sizeof(float));
    memcpy(s->c + (size_t)l * c_stride(m->hidden), m->layers[l].c0, (size_t)m->hidden * sizeof(float));
  }
}

static void
lstm_state_free(const TriNode* node, void* state)
{
  (void)node;
  LstmState* s = state;
  if (!s) return;
  free(s->xh);
  free(s->xh_off);
  free(s->c);
  free(s->q);
  free(s->seq);
  free(s->run);
  free(s);
}

static TriodeStatus
lstm_state_new(const TriNode* node, void** state)
{
  const Lstm* m = node->impl;
  LstmState* s = calloc(1, sizeof *s);
  if (!s) return TRIODE_ERR_NO_MEMORY;
  const size_t H = (size_t)m->hidden, L = (size_t)(m->nlayers > 0 ? m->nlayers : 1);
  const size_t maxin = (size_t)(m->input_size > m->hidden ? m->input_size : m->hidden);
  s->xh_off = calloc(L, sizeof *s->xh_off);
  size_t total = 0;
  for (int l = 0; s->xh_off && l < m->nlayers; ++l) {
    s->xh_off[l] = total;
    total += (size_t)m->layers[l].in + H + TRI_LSTM_SLACK;
  }
  const size_t nxh = total + maxin + H, nc = L * c_stride((int)H), nq = 4 * H + TRI_LSTM_SLACK;
  s->xh = calloc(nxh, sizeof(float));
  s->c = calloc(nc, sizeof(float));
  s->q = calloc(nq, sizeof(float));
  s->run = calloc(L, sizeof *s->run);
  const size_t nseq = m->nlayers > 1 ? 2 * (size_t)TRI_LSTM_CHUNK * H : 0;
  s->seq = nseq ? calloc(nseq, sizeof(float)) : NULL;
  s->bytes = sizeof *s + L * (sizeof *s->xh_off + sizeof *s->run) + (nxh + nc + nq + nseq) * sizeof(float);
  if (!s->xh_off || !s->xh || !s->c || !s->q || !s->run || (nseq && !s->seq)) {
    lstm_state_free(node, s);
    return TRIODE_ERR_NO_MEMORY;
  }
  for (int l = 0; l < m->nlayers; ++l)
    s->run[l] = (TriLstmLayerRun){m->layers[l].in, m->layers[l].wt, m->layers[l].bk, s->xh + s->xh_off[l],
                                  s->c + (size_t)l * c_stride((int)H)};
  if (4 * H <= 16) tri_lstm_lanes_init(&s->lanes, (int)H);
  lstm_state_restart(node, s);
  *state = s;
  return TRIODE_SUCCESS;
}

static TriodeStatus
lstm_state_resize(const TriNode* node, void* state, int max_block)
{
  (void)node; /* per-sample recurrence: nothing depends on the block size */
  (void)state;
  (void)max_block;
  return TRIODE_SUCCESS;
}

static void
lstm_state_clear(const TriNode* node, void* state)
{
  (void)node; /* the reference keeps the LSTM state across Reset() */
  (void)state;
}

static size_t
lstm_state_bytes(const TriNode* node, const void* state)
{
  (void)node;
  return ((const LstmState*)state)->bytes;
}

static void
lstm_process(const TriNode* node, void* state, const TriKernels* k, const float* in, int ldin, float* out, int ldout, int n)
{
  const Lstm* m = node->impl;
  LstmState* s = state;
  const int H = m->hidden;
  if (m->nlayers == 0) { /* no layers: the input passes through */
    for (int o = 0; o < node->nout; ++o)
      for (int t = 0; t < n; ++t) out[(long)o * ldout + t] = o < node->nin ? in[(long)o * ldin + t] : 0.0f;
    return;
  }
  /* One call runs the whole block: the kernel keeps small states in registers across frames. */
  const TriLstmRun run = {m->nlayers, H,         s->run,    4 * H <= 16 ? &s->lanes : NULL,
                          in,         ldin,      1,         s->q,
                          m->hk_w,    m->hk_b,   node->nout, out,
                          ldout,      m->fast,   s->seq};
  k->lstm_run(&run, n);
}

/* The lane tables of the one-register cell (see TriLstmLanes); lanes are numbered for the widest vector. */
void
tri_lstm_lanes_init(TriLstmLanes* t, int H)
{
  for (int l = 0; l < 16; ++l) {
    for (int j = 0; j < 4; ++j) t->bcast[j][l] = j;
    for (int k = 0; k < 3; ++k) t->gate[k][l] = l < H ? (k + 1) * H + l : 0;
    const bool g = l >= 2 * H && l < 3 * H;
    t->scale[l] = g ? 1.0f : 0.5f;
    t->offset[l] = g ? 0.0f : 0.5f;
    t->glane[l] = g ? 1.0f : 0.0f;
    t->mask[l] = l < H ? 1.0f : 0.0f;
  }
}

static long
lstm_prewarm(const TriNode* node, const void* state)
{
  (void)state;
  long p = (long)(0.5 * node->sample_rate);
  return p <= 0 ? 1 : p;
}

static double
lstm_macs(const TriNode* node, const void* state)
{
  (void)state;
  const TriLstm* m = node->impl;
  double macs = (double)node->nout * m->hidden; /* the head */
  for (int l = 0; l < m->nlayers; ++l) macs += 4.0 * m->layers[l].hidden * (m->layers[l].in + m->layers[l].hidden);
  return macs;
}

/* Per cell and frame: sigmoid input, forget and output gates, tanh candidate and tanh(c). */
static void
lstm_activations(const TriNode* node, const void* state, TriodeActivationCounts* counts)
{
  (void)state;
  const TriLstm* m = node->impl;
  for (int l = 0; l < m->nlayers; ++l) {
    const double H = m->layers[l].hidden;
    if (m->fast) {
      counts->fast_tanh += 5.0 * H;
    } else {
      counts->sigmoid += 3.0 * H;
      counts->tanh += 2.0 * H;
    }
  }
  /* A step: the gate products over h, then the gates' activations (the sigmoids and the candidate's tanh side by
     side: the slower one, a sigmoid), then tanh(c). The layers of a stack overlap across frames, so the longest
     layer's step bounds a frame; they all have the model's H. Steps of other nodes already counted (another LSTM in
     a Sequential or a condition DSP) run side by side with this one: the one with more products is kept. */
  const double step = 4.0 * m->hidden * m->hidden;
  if (step <= counts->step_multiply_adds) return;
  counts->step_multiply_adds = step;
  counts->step_fast_tanh = m->fast ? 2.0 : 0.0;
  counts->step_sigmoid = m->fast ? 0.0 : 1.0;
  counts->step_tanh = m->fast ? 0.0 : 1.0;
}

static long
lstm_rf(const TriNode* node)
{
  (void)node; /* recurrent: no finite receptive field; 1 = depends on the current sample (and the state) */
  return 1;
}

static void
lstm_describe(const TriNode* node, cJSON* obj)
{
  const Lstm* m = node->impl;
  cJSON_AddNumberToObject(obj, "num_layers", m->nlayers);
  cJSON_AddNumberToObject(obj, "input_size", m->input_size);
  cJSON_AddNumberToObject(obj, "hidden_size", m->hidden);
}

const TriArchOps tri_arch_lstm = {
  .name = "LSTM",
  .parse = lstm_parse,
  .read_weights = lstm_read,
  .destroy = lstm_destroy,
  .state_new = lstm_state_new,
  .state_free = lstm_state_free,
  .state_resize = lstm_state_resize,
  .state_clear = lstm_state_clear,
  .state_restart = lstm_state_restart,
  .state_bytes = lstm_state_bytes,
  .process = lstm_process,
  .prewarm_samples = lstm_prewarm,
  .receptive_field = lstm_rf,
  .macs = lstm_macs,
  .activations = lstm_activations,
  .describe = lstm_describe,
};
