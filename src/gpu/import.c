/* Import entry point: unwraps containers, names the model in messages and dispatches to the architecture. */
#include "core/model_impl.h"
#include "gpu/import_build.h"
#include "models/container.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The node the batch runs: a SlimmableContainer runs its full-size (last) submodel, as a new instance does. */
static const TriNode*
unwrap(const TriNode* node)
{
  while (node->ops == &tri_arch_container) {
    const TriContainer* c = node->impl;
    node = c->models[c->n - 1];
  }
  return node;
}

static void
name_model(const TriodeModel* model, char* who, size_t cap)
{
  const char* name = NULL;
  for (int i = 0; i < triode_model_metadata_count(model); ++i)
    if (strcmp(triode_model_metadata_key(model, i), "name") == 0) name = triode_model_metadata_value(model, i);
  if (name)
    snprintf(who, cap, "%s model \"%.80s\"", triode_model_architecture(model), name);
  else
    snprintf(who, cap, "%s model", triode_model_architecture(model));
}

TriodeStatus
tri_import(const TriodeModel* model, int max_block, TriImport* out, TriodeError* error)
{
  memset(out, 0, sizeof *out);
  char who[160];
  name_model(model, who, sizeof who);
  TriBuild b;
  memset(&b, 0, sizeof b);
  b.max_block = max_block;
  b.who = who;
  b.error = error;
  TriKProg head;
  memset(&head, 0, sizeof head); /* the program is compared byte for byte */
  TriodeStatus st;
  const TriNode* node = unwrap(model->root);
  if (node->ops == &tri_arch_wavenet)
    st = tri_import_wavenet(node, &b, &head);
  else if (node->ops == &tri_arch_lstm)
    st = tri_import_lstm(node, &b, &head);
  else if (node->ops == &tri_arch_convnet)
    st = tri_import_convnet(node, &b, &head);
  else if (node->ops == &tri_arch_linear)
    st = tri_import_linear(node, &b, &head);
  else
    st = tri_build_refuse(&b, "architecture %s", node->ops->name);
  if (st == TRIODE_SUCCESS) st = tri_build_finish(&b, &head, out);
  tri_build_free(&b);
  if (st == TRIODE_ERR_NO_MEMORY && error) {
    error->status = st;
    snprintf(error->message, sizeof error->message, "%s: out of memory", who);
  }
  if (st != TRIODE_SUCCESS) {
    tri_import_free(out);
    return st;
  }
  out->prewarm = node->ops->prewarm_samples(node, NULL);
  out->prewarm_default = !model->opts.no_prewarm;
  return TRIODE_SUCCESS;
}

void
tri_import_free(TriImport* im)
{
  if (!im) return;
  free(im->prog);
  free(im->params);
  im->prog = NULL;
  im->params = NULL;
}
