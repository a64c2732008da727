/* Models and parity runner for the batch checks (see batch_util.h). */
#include "batch_util.h"

#include "test_util.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- generated models ----------------------------------------------------------------------------------------- */

static float
rnd(unsigned* s, float scale)
{
  *s = *s * 1664525u + 1013904223u;
  return scale * ((float)(*s >> 8) / 8388608.0f - 1.0f);
}

static TriodeModel*
load_json_object(cJSON* root)
{
  char* text = cJSON_PrintUnformatted(root);
  cJSON_Delete(root);
  if (!text) return NULL;
  TriodeModel* m = NULL;
  TriodeError err;
  if (triode_model_load_string(text, strlen(text), "generated", NULL, &m, &err) != TRIODE_SUCCESS) {
    printf("generated model: %s\n", err.message);
    m = NULL;
  }
  free(text);
  return m;
}

static cJSON*
envelope(const char* arch, cJSON* config, const float* w, long nw)
{
  cJSON* root = cJSON_CreateObject();
  cJSON_AddStringToObject(root, "version", "0.5.4");
  cJSON_AddStringToObject(root, "architecture", arch);
  cJSON_AddItemToObject(root, "config", config);
  cJSON_AddItemToObject(root, "weights", cJSON_CreateFloatArray(w, (int)nw));
  cJSON_AddNumberToObject(root, "sample_rate", 48000);
  return root;
}

static cJSON*
a1_array(int in, int C, int head, const int* dil, int nd, bool bias)
{
  cJSON* a = cJSON_CreateObject();
  cJSON_AddNumberToObject(a, "input_size", in);
  cJSON_AddNumberToObject(a, "condition_size", 1);
  cJSON_AddNumberToObject(a, "head_size", head);
  cJSON_AddNumberToObject(a, "channels", C);
  cJSON_AddNumberToObject(a, "kernel_size", 3);
  cJSON_AddItemToObject(a, "dilations", cJSON_CreateIntArray(dil, nd));
  cJSON_AddStringToObject(a, "activation", "Tanh");
  cJSON_AddBoolToObject(a, "gated", false);
  cJSON_AddBoolToObject(a, "head_bias", bias);
  return a;
}

/* Weights of one A1 array (spec §3.4.4): rechannel, layers (conv + bias, mixin, layer1x1 + bias), head. */
static long
a1_array_weights(int in, int C, int head, int nd, bool bias)
{
  return (long)in * C + (long)nd * (3L * C * C + C + C + (long)C * C + C) + (long)head * C + (bias ? head : 0);
}

TriodeModel*
bu_generate_a1(const char* preset, unsigned seed)
{
  static const int d10[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
  static const int d7[] = {1, 2, 4, 8, 16, 32, 64};
  static const int d13[] = {128, 256, 512, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
  int c0, c1;
  const int *da, *db;
  int na, nb;
  if (strcmp(preset, "standard") == 0) {
    c0 = 16, c1 = 8, da = d10, na = 10, db = d10, nb = 10;
  } else {
    c0 = strcmp(preset, "lite") == 0 ? 12 : strcmp(preset, "feather") == 0 ? 8 : 4;
    c1 = c0 / 2, da = d7, na = 7, db = d13, nb = 13;
  }
  cJSON* layers = cJSON_CreateArray();
  cJSON_AddItemToArray(layers, a1_array(1, c0, c1, da, na, false));
  cJSON_AddItemToArray(layers, a1_array(c0, c1, 1, db, nb, true));
  cJSON* config = cJSON_CreateObject();
  cJSON_AddItemToObject(config, "layers", layers);
  cJSON_AddNumberToObject(config, "head_scale", 0.02);
  const long nw = a1_array_weights(1, c0, c1, na, false) + a1_array_weights(c0, c1, 1, nb, true) + 1;
  float* w = malloc((size_t)nw * sizeof *w);
  if (!w) return NULL;
  for (long i = 0; i < nw; ++i) w[i] = rnd(&seed, 0.5f);
  w[nw - 1] = 0.02f;
  TriodeModel* m = load_json_object(envelope("WaveNet", config, w, nw));
  free(w);
  return m;
}

TriodeModel*
bu_generate_lstm(int layers, int hidden, unsigned seed)
{
  cJSON* config = cJSON_CreateObject();
  cJSON_AddNumberToObject(config, "num_layers", layers);
  cJSON_AddNumberToObject(config, "input_size", 1);
  cJSON_AddNumberToObject(config, "hidden_size", hidden);
  const long H = hidden;
  long nw = H + 1;
  for (int l = 0; l < layers; ++l) nw += 4 * H * ((l == 0 ? 1 : H) + H) + 4 * H + 2 * H;
  float* w = malloc((size_t)nw * sizeof *w);
  if (!w) return NULL;
  long k = 0;
  for (int l = 0; l < layers; ++l) {
    const long J = (l == 0 ? 1 : H) + H;
    for (long i = 0; i < 4 * H * J + 4 * H; ++i) w[k++] = rnd(&seed, 1.5f / sqrtf((float)J));
    for (long i = 0; i < 2 * H; ++i) w[k++] = 0.0f; /* h0, c0 */
  }
  while (k < nw) w[k++] = rnd(&seed, 0.5f);
  TriodeModel* m = load_json_object(envelope("LSTM", config, w, nw));
  free(w);
  return m;
}

/* Two arrays using what the A1/A2 files do not: gated and blended layers, bottleneck < channels, grouped convs,
   head1x1, an inactive layer1x1, per-layer kernels, a dilated head rechannel, and most activations. */
static const char g_features[] =
  "{\"version\":\"0.7.0\",\"architecture\":\"WaveNet\",\"sample_rate\":48000,\"config\":{\"head_scale\":0.5,"
  "\"layers\":[{\"input_size\":1,\"condition_size\":1,\"channels\":4,\"bottleneck\":2,\"kernel_sizes\":[2,3,4],"
  "\"dilations\":[1,2,5],\"activation\":[\"SiLU\",{\"type\":\"PReLU\",\"negative_slopes\":[0.2,0.05]},\"Hardswish\"],"
  "\"gating_mode\":[\"gated\",\"blended\",\"none\"],\"secondary_activation\":[\"Sigmoid\",\"Softsign\",null],"
  "\"head\":{\"out_channels\":3,\"kernel_size\":3,\"bias\":true,\"head_dilation\":2},"
  "\"head1x1\":{\"active\":true,\"out_channels\":3,\"groups\":1},\"layer1x1\":{\"active\":true,\"groups\":2},"
  "\"groups_input\":2},"
  "{\"input_size\":4,\"condition_size\":1,\"channels\":3,\"kernel_sizes\":[3,3],\"dilations\":[1,4],"
  "\"activation\":[{\"type\":\"LeakyHardtanh\",\"min_val\":-0.5,\"max_val\":0.7,\"min_slope\":0.1,"
  "\"max_slope\":0.2},\"Hardtanh\"],\"head\":{\"out_channels\":1,\"kernel_size\":2,\"bias\":false},"
  "\"layer1x1\":{\"active\":false,\"groups\":1}}]},\"weights\":[";

TriodeModel*
bu_generate_features(unsigned seed)
{
  enum { NW = 246 }; /* spec §3.4.4 for the config above: 161 + 84 + head_scale */
  char* text = malloc(sizeof g_features + NW * 16 + 8);
  if (!text) return NULL;
  size_t len = (size_t)snprintf(text, sizeof g_features, "%s", g_features);
  for (int i = 0; i < NW; ++i)
    len += (size_t)sprintf(text + len, "%s%.6f", i ? "," : "", i == NW - 1 ? 0.5 : (double)rnd(&seed, 0.6f));
  len += (size_t)sprintf(text + len, "]}");
  TriodeModel* m = NULL;
  TriodeError err;
  if (triode_model_load_string(text, len, "features", NULL, &m, &err) != TRIODE_SUCCESS) {
    printf("generated features model: %s\n", err.message);
    m = NULL;
  }
  free(text);
  return m;
}

TriodeModel*
bu_load_submodel(const char* path, int index)
{
  char* text = tu_read_file(path, NULL);
  if (!text) return NULL;
  cJSON* root = cJSON_Parse(text);
  free(text);
  const cJSON* subs = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "config"), "submodels");
  const cJSON* model = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(subs, index), "model");
  cJSON* copy = model ? cJSON_Duplicate(model, true) : NULL;
  cJSON_Delete(root);
  return copy ? load_json_object(copy) : NULL;
}

/* ---- the model set --------------------------------------------------------------------------------------------- */

static const char* const g_shared[] = {
  "wavenet",           "wavenet_a1_standard",  "my_model",       "A2",
  "lstm",              "synthetic_convnet_bn", "synthetic_convnet_nobn", "synthetic_linear_rf64",
  "synthetic_linear_rf700", "slimmable_container", "slimmable_wavenet", "wavenet_a2_max",
  "wavenet_condition_dsp",  "synthetic_wavenet_features",
};

static bool
push(BuModel* out, int cap, int* n, const char* label, TriodeModel* m, TriodeBatch* probe, bool verbose)
{
  if (!m) return false;
  TriodeError err;
  if (triode_batch_supports(probe, m, &err) != TRIODE_SUCCESS || *n == cap) {
    if (verbose) printf("refused %-28s %s\n", label, err.message);
    triode_model_free(m);
    return false;
  }
  snprintf(out[*n].label, sizeof out[*n].label, "%s", label);
  out[(*n)++].model = m;
  return true;
}

int
bu_load_models(BuModel* out, int cap, bool verbose)
{
  TriodeBatch* probe = NULL;
  if (triode_batch_new("host", 64, &probe, NULL) != TRIODE_SUCCESS) return 0;
  int n = 0;
  for (size_t i = 0; i < sizeof g_shared / sizeof g_shared[0]; ++i) {
    char* path = tu_model_path(g_shared[i]);
    if (!path) continue;
    TriodeModel* m = NULL;
    if (triode_model_load_file(path, NULL, &m, NULL) == TRIODE_SUCCESS)
      push(out, cap, &n, g_shared[i], m, probe, verbose);
    if (strcmp(g_shared[i], "A2") == 0) push(out, cap, &n, "A2_lite", bu_load_submodel(path, 0), probe, verbose);
    free(path);
  }
  static const char* const presets[] = {"lite", "feather", "nano"};
  for (size_t i = 0; i < sizeof presets / sizeof presets[0]; ++i) {
    char label[64];
    snprintf(label, sizeof label, "gen_a1_%s", presets[i]);
    push(out, cap, &n, label, bu_generate_a1(presets[i], 17u + (unsigned)i), probe, verbose);
  }
  push(out, cap, &n, "gen_wavenet_features", bu_generate_features(9u), probe, verbose);
  /* The fast tanh option: Tanh activations and the LSTM gates use the rational approximation. */
  TriodeLoadOptions fast;
  triode_load_options_init(&fast);
  fast.fast_tanh = true;
  static const char* const fast_models[] = {"wavenet", "lstm"};
  for (size_t i = 0; i < sizeof fast_models / sizeof fast_models[0]; ++i) {
    char* path = tu_model_path(fast_models[i]);
    TriodeModel* m = NULL;
    if (path && triode_model_load_file(path, &fast, &m, NULL) == TRIODE_SUCCESS) {
      char label[64];
      snprintf(label, sizeof label, "%s_fast_tanh", fast_models[i]);
      push(out, cap, &n, label, m, probe, verbose);
    }
    free(path);
  }
  push(out, cap, &n, "gen_lstm_1x16", bu_generate_lstm(1, 16, 5u), probe, verbose);
  push(out, cap, &n, "gen_lstm_2x8", bu_generate_lstm(2, 8, 6u), probe, verbose);
  triode_batch_free(probe);
  return n;
}

void
bu_free_models(BuModel* models, int n)
{
  for (int i = 0; i < n; ++i) triode_model_free(models[i].model);
}

/* ---- parity ----------------------------------------------------------------------------------------------------- */

void
bu_signal(int instance, long t, float* x, int n)
{
  const double f = 82.41 * (1.0 + 0.29 * instance), level = 0.15 + 0.2 * (instance % 4);
  unsigned s = 2654435761u * (unsigned)(instance + 1) + (unsigned)t;
  for (int i = 0; i < n; ++i) {
    const double tt = (double)(t + i) / 48000.0;
    const double env = 0.6 + 0.4 * sin(6.283185307179586 * 0.7 * tt);
    x[i] = (float)(level * env * sin(6.283185307179586 * f * tt)) + rnd(&s, 0.02f);
  }
}

void
bu_account(BuResult* r, const float* got, const float* want, int n)
{
  for (int i = 0; i < n; ++i) {
    double d = fabs((double)got[i] - (double)want[i]);
    if (d != d) d = INFINITY;
    const double ratio = d / (BU_TOLERANCE * fmax(1.0, fabs((double)want[i])));
    if (d > r->max_err) r->max_err = d;
    if (ratio > r->worst_ratio) r->worst_ratio = ratio;
    if (!(ratio <= 1.0)) r->failed = true;
  }
  r->samples += n;
}

bool
bu_stream(TriodeBatch* b, TriodeInstance* const* cpu, int ninst, int block, long t0, long blocks, BuResult* results,
          const int* which)
{
  float* in = malloc((size_t)ninst * (size_t)block * sizeof *in);
  float* out = malloc((size_t)ninst * (size_t)block * sizeof *out);
  float* ref = malloc((size_t)block * sizeof *ref);
  bool ok = in && out && ref;
  for (long k = 0; ok && k < blocks; ++k) {
    const long t = t0 + k * block;
    for (int i = 0; i < ninst; ++i) bu_signal(i, t, in + (size_t)i * (size_t)block, block);
    if (triode_batch_process(b, in, out, block) != TRIODE_SUCCESS) {
      printf("triode_batch_process failed at frame %ld\n", t);
      ok = false;
      break;
    }
    for (int i = 0; i < ninst; ++i) {
      triode_instance_process_mono(cpu[i], in + (size_t)i * (size_t)block, ref, (size_t)block);
      bu_account(&results[which ? which[i] : i], out + (size_t)i * (size_t)block, ref, block);
    }
  }
  free(in);
  free(out);
  free(ref);
  return ok;
}

bool
bu_parity(const char* backend, const BuModel* models, const int* which, int ninst, int block, double seconds,
          BuResult* results)
{
  TriodeBatch* b = NULL;
  TriodeError err;
  if (triode_batch_new(backend, block, &b, &err) != TRIODE_SUCCESS) {
    printf("batch on %s: %s\n", backend, err.message);
    return false;
  }
  TriodeInstance** cpu = calloc((size_t)ninst, sizeof *cpu);
  bool ok = cpu != NULL;
  for (int i = 0; ok && i < ninst; ++i) {
    const TriodeModel* m = models[which[i]].model;
    ok = triode_batch_add(b, m, NULL, &err) == TRIODE_SUCCESS;
    if (!ok) printf("adding %s: %s\n", models[which[i]].label, err.message);
    ok = ok && triode_instance_new(m, &cpu[i], NULL) == TRIODE_SUCCESS &&
         triode_instance_reset(cpu[i], 48000.0, block) == TRIODE_SUCCESS;
  }
  if (ok) ok = bu_stream(b, cpu, ninst, block, 0, (long)(seconds * 48000.0) / block, results, which);
  for (int i = 0; cpu && i < ninst; ++i) triode_instance_free(cpu[i]);
  free(cpu);
  triode_batch_free(b);
  return ok;
}
