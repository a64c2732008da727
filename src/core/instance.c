/* Instances: streaming state of a model, block splitting and the prewarm of spec §4.3. */
#include "core/fpmode.h"
#include "core/model_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

TriodeStatus
tri_state_new(const TriNode* node, TriState* st)
{
  st->node = node;
  st->impl = NULL;
  return node->ops->state_new(node, &st->impl);
}

void
tri_state_free(TriState* st)
{
  if (st && st->node && st->impl) st->node->ops->state_free(st->node, st->impl);
  if (st) st->impl = NULL;
}

TriodeStatus
tri_node_prewarm(const TriNode* node, void* state, const TriKernels* k, int max_block)
{
  long p = node->ops->prewarm_samples(node, state);
  if (p <= 0) return TRIODE_SUCCESS;
  const int b = max_block > 0 ? max_block : 4096;
  float* zin = calloc((size_t)node->nin * (size_t)b, sizeof *zin);
  float* out = malloc((size_t)node->nout * (size_t)b * sizeof *out);
  if (!zin || !out) {
    free(zin);
    free(out);
    return TRIODE_ERR_NO_MEMORY;
  }
  TriFpMode fp = tri_fp_enter();
  for (long done = 0; done < p; done += b) node->ops->process(node, state, k, zin, b, out, b, b);
  tri_fp_leave(fp);
  free(zin);
  free(out);
  return TRIODE_SUCCESS;
}

TriodeStatus
triode_instance_new(const TriodeModel* model, TriodeInstance** instance, TriodeError* error)
{
  if (error) {
    error->status = TRIODE_SUCCESS;
    error->message[0] = '\0';
  }
  if (!model || !instance) {
    tri_error_set(error, TRIODE_ERR_BAD_ARG, "triode_instance_new: null argument");
    return TRIODE_ERR_BAD_ARG;
  }
  *instance = NULL;
  TriodeInstance* in = calloc(1, sizeof *in);
  if (!in) {
    tri_error_set(error, TRIODE_ERR_NO_MEMORY, "out of memory");
    return TRIODE_ERR_NO_MEMORY;
  }
  in->model = model;
  in->kern = tri_kernels(tri_isa_default());
  in->prewarm = !model->opts.no_prewarm;
  TriodeStatus st = tri_state_new(model->root, &in->st);
  if (st == TRIODE_SUCCESS) {
    double sr = model->root->sample_rate > 0 ? model->root->sample_rate : 48000.0;
    st = triode_instance_reset(in, sr, 64);
  }
  if (st != TRIODE_SUCCESS) {
    tri_error_set(error, st, st == TRIODE_ERR_LIMIT ? "instance state would exceed the memory limit" : triode_strerror(st));
    triode_instance_free(in);
    return st;
  }
  *instance = in;
  return TRIODE_SUCCESS;
}

void
triode_instance_free(TriodeInstance* instance)
{
  if (!instance) return;
  tri_state_free(&instance->st);
  free(instance->inbuf);
  free(instance->outbuf);
  free(instance);
}

TriodeStatus
triode_instance_reset(TriodeInstance* instance, double sample_rate, int max_block)
{
  if (!instance || max_block < 1 || max_block > TRI_MAX_BLOCK) return TRIODE_ERR_BAD_ARG;
  const TriNode* root = instance->model->root;
  if (max_block != instance->max_block || !instance->inbuf) {
    float* inb = malloc((size_t)root->nin * (size_t)max_block * sizeof *inb);
    float* outb = malloc((size_t)root->nout * (size_t)max_block * sizeof *outb);
    if (!inb || !outb) {
      free(inb);
      free(outb);
      return TRIODE_ERR_NO_MEMORY;
    }
    free(instance->inbuf);
    free(instance->outbuf);
    instance->inbuf = inb;
    instance->outbuf = outb;
    TRI_TRY(root->ops->state_resize(root, instance->st.impl, max_block));
    instance->max_block = max_block;
  }
  instance->sample_rate = sample_rate;
  root->ops->state_clear(root, instance->st.impl);
  if (instance->prewarm) return tri_node_prewarm(root, instance->st.impl, instance->kern, max_block);
  return TRIODE_SUCCESS;
}

TriodeStatus
triode_instance_restart(TriodeInstance* instance)
{
  if (!instance) return TRIODE_ERR_BAD_ARG;
  const TriNode* root = instance->model->root;
  root->ops->state_restart(root, instance->st.impl);
  if (instance->prewarm) return tri_node_prewarm(root, instance->st.impl, instance->kern, instance->max_block);
  return TRIODE_SUCCESS;
}

void
triode_instance_set_prewarm(TriodeInstance* instance, bool prewarm)
{
  if (instance) instance->prewarm = prewarm;
}

TriodeStatus
triode_instance_process(TriodeInstance* instance, const float* const* in, float* const* out, size_t frames)
{
  if (!instance || (frames > 0 && (!in || !out))) return TRIODE_ERR_BAD_ARG;
  const TriNode* root = instance->model->root;
  const int mb = instance->max_block;
  TriFpMode fp = tri_fp_enter();
  for (size_t done = 0; done < frames;) {
    const int n = frames - done < (size_t)mb ? (int)(frames - done) : mb;
    /* Copy in first: the caller may process in place, and planar rows need a common stride. */
    for (int c = 0; c < root->nin; ++c) memcpy(instance->inbuf + (long)c * mb, in[c] + done, (size_t)n * sizeof(float));
    root->ops->process(root, instance->st.impl, instance->kern, instance->inbuf, mb, instance->outbuf, mb, n);
    for (int c = 0; c < root->nout; ++c)
      memcpy(out[c] + done, instance->outbuf + (long)c * mb, (size_t)n * sizeof(float));
    done += (size_t)n;
  }
  tri_fp_leave(fp);
  return TRIODE_SUCCESS;
}

TriodeStatus
triode_instance_process_mono(TriodeInstance* instance, const float* in, float* out, size_t frames)
{
  if (!instance) return TRIODE_ERR_BAD_ARG;
  const TriNode* root = instance->model->root;
  if (root->nin != 1 || root->nout != 1) return TRIODE_ERR_BAD_STATE;
  return triode_instance_process(instance, &in, &out, frames);
}

TriodeStatus
triode_instance_set_slim(TriodeInstance* instance, double value)
{
  if (!instance || !(value >= 0.0 && value <= 1.0)) return TRIODE_ERR_BAD_ARG;
  const TriNode* root = instance->model->root;
  if (!root->ops->set_slim) return TRIODE_FAILURE;
  return root->ops->set_slim(root, instance->st.impl, instance->kern, value, instance->max_block, instance->prewarm);
}

const TriodeModel*
triode_instance_model(const TriodeInstance* instance)
{
  return instance->model;
}

size_t
triode_instance_memory(const TriodeInstance* instance)
{
  const TriNode* root = instance->model->root;
  size_t bytes = sizeof *instance + (size_t)(root->nin + root->nout) * (size_t)instance->max_block * sizeof(float);
  return bytes + root->ops->state_bytes(root, instance->st.impl);
}

double
triode_instance_multiply_adds(const TriodeInstance* instance)
{
  const TriNode* root = instance->model->root;
  return root->ops->macs(root, instance->st.impl);
}

void
triode_instance_activation_counts(const TriodeInstance* instance, TriodeActivationCounts* counts)
{
  memset(counts, 0, sizeof *counts);
  const TriNode* root = instance->model->root;
  root->ops->activations(root, instance->st.impl, counts);
}

TriodeStatus
triode_instance_set_isa(TriodeInstance* instance, const char* isa)
{
  TriIsa level;
  if (!instance) return TRIODE_ERR_BAD_ARG;
  if (!isa || !*isa) {
    instance->kern = tri_kernels(tri_isa_default());
    return TRIODE_SUCCESS;
  }
  if (!tri_isa_parse(isa, &level)) return TRIODE_ERR_BAD_ARG;
  if (!tri_isa_supported(level)) return TRIODE_FAILURE;
  instance->kern = tri_kernels(level);
  return TRIODE_SUCCESS;
}

const char*
triode_instance_isa(const TriodeInstance* instance)
{
  return instance->kern->name;
}

bool
triode_isa_supported(const char* isa)
{
  TriIsa level;
  return tri_isa_parse(isa, &level) && tri_isa_supported(level) && tri_kernels(level)->isa == level;
}
