/* ConvNet and Linear import (kernels/convnet.h, kernels/linear.h document the layouts they read). */
#include "gpu/import_build.h"
#include "models/convnet.h"
#include "models/linear.h"

#include <string.h>

TriodeStatus
tri_import_convnet(const TriNode* node, TriBuild* b, TriKProg* head)
{
  const TriConvNet* m = node->impl;
  if (node->nin != 1 || node->nout != 1)
    return tri_build_refuse(b, "%d -> %d channels (the batch runs mono models)", node->nin, node->nout);
  if (m->channels > TRI_K_ZMAX) return tri_build_refuse(b, "%d channels (at most %d)", m->channels, TRI_K_ZMAX);
  TriKConvNet* k = &head->u.cn;
  k->C = m->channels;
  k->nblocks = m->nblocks;
  k->O = node->nout;
  for (int i = 0; i < m->nblocks; ++i) {
    const TriConvBlock* B = &m->blocks[i];
    const TriConv* c = &B->conv;
    TriKConvBlock kb;
    memset(&kb, 0, sizeof kb);
    const long w = tri_build_params(b, NULL, (long)c->k * c->cin * c->cout);
    for (int tap = 0; !b->oom && tap < c->k; ++tap)
      for (int ci = 0; ci < c->cin; ++ci)
        for (int o = 0; o < c->cout; ++o)
          b->params[w + ((long)tap * c->cin + ci) * c->cout + o] = c->w[((long)tap * c->cout + o) * c->cin + ci];
    kb.conv = (TriKConv){c->cin, c->cout, c->k, c->dil, (int)w, c->b ? (int)tri_build_params(b, c->b, c->cout) : -1};
    kb.scale = B->scale ? (int)tri_build_params(b, B->scale, c->cout) : -1;
    kb.offset = B->offset ? (int)tri_build_params(b, B->offset, c->cout) : -1;
    kb.ring = (int)tri_build_ring(b, c->cin, tri_conv_lookback(c), &kb.mask);
    tri_build_item(b, &kb, sizeof kb);
  }
  TRI_TRY(tri_build_act(b, &m->act, 0, &k->act));
  k->head_w = (int)tri_build_params(b, m->head.w, (long)m->head.cout * m->head.cin);
  k->head_b = (int)tri_build_params(b, m->head.b, m->head.cout);
  head->kind = TRI_K_CONVNET;
  head->nitems = m->nblocks;
  head->clear_on_reset = 1;
  return TRIODE_SUCCESS;
}

TriodeStatus
tri_import_linear(const TriNode* node, TriBuild* b, TriKProg* head)
{
  const TriLinear* m = node->impl;
  if (node->nin != 1 || node->nout != 1)
    return tri_build_refuse(b, "%d -> %d channels (the batch runs mono models)", node->nin, node->nout);
  TriKLinear* k = &head->u.lin;
  k->taps = m->taps;
  k->h = (int)tri_build_params(b, m->h, m->taps);
  k->bias = m->has_bias ? (int)tri_build_params(b, &m->bias, 1) : -1;
  k->ring = (int)tri_build_ring(b, 1, m->taps - 1, &k->mask);
  head->kind = TRI_K_LINEAR;
  head->clear_on_reset = 0; /* the reference keeps the direct-path history across Reset() */
  return TRIODE_SUCCESS;
}
