/*
 * triode batch engine: one call processes one block for many model instances at once, on a GPU (backend "cuda")
 * or on the calling thread (backend "host", always available; it runs the same kernel source).
 *
 * Conventions are those of triode.h (thread classes "audio" / "instantiation", ownership, TriodeStatus).
 * Link with the `triode_batch` library (it adds the CUDA runtime when the CUDA backend was compiled in).
 *
 * A batch holds N instances numbered 0..N-1 in the order they were added. Each instance runs a mono model (one
 * input, one output channel) and keeps its own streaming state. Instances of models with the same shape are
 * grouped internally and computed by one kernel launch per group and block; instances of the very same model
 * share its weights. Audio is instance-major: instance i's block of `frames` samples is at in + i * frames.
 *
 * Every TriodeModel given to a batch must outlive the batch, or the instance's next triode_batch_set_model().
 */
#ifndef TRIODE_BATCH_H
#define TRIODE_BATCH_H

#include "triode/triode.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct TriodeBatchImpl TriodeBatch;

/**
 * Whether a backend can be opened here: "host" always; "cuda" when compiled in and a CUDA device is present;
 * "auto" always (it falls back to "host"). Thread class: instantiation (may initialise the CUDA driver).
 */
TRIODE_API bool
triode_batch_backend_available(const char* backend);

/**
 * Creates an empty batch on `backend` ("auto", "cuda" or "host"; NULL means "auto": "cuda" when compiled in and a
 * device is present, else "host") for blocks of up to `max_block` frames (1 ≤ max_block ≤ 65536).
 * Errors: TRIODE_ERR_BAD_ARG (unknown backend, bad max_block), TRIODE_FAILURE (backend unavailable: "built without
 * CUDA", or no usable device; the message says which), TRIODE_ERR_NO_MEMORY.
 * The caller frees *batch with triode_batch_free(). Thread class: instantiation.
 */
TRIODE_API TriodeStatus
triode_batch_new(const char* backend, int max_block, TriodeBatch** batch, TriodeError* error);

/** Frees a batch and every device buffer it holds. Null is allowed. Thread class: instantiation. */
TRIODE_API void
triode_batch_free(TriodeBatch* batch);

/** Name of the backend in use: "host" or "cuda". Static string. Thread class: audio. */
TRIODE_API const char*
triode_batch_backend(const TriodeBatch* batch);

/** Largest block triode_batch_process() accepts. Thread class: audio. */
TRIODE_API int
triode_batch_max_block(const TriodeBatch* batch);

/** Number of instances. Thread class: audio. */
TRIODE_API int
triode_batch_size(const TriodeBatch* batch);

/** Number of shape groups (kernel launches per block, empty groups excluded). Thread class: audio. */
TRIODE_API int
triode_batch_group_count(const TriodeBatch* batch);

/**
 * Whether `model` can run in this batch. Returns TRIODE_SUCCESS, or TRIODE_FAILURE with a message in `error`
 * (nullable) naming the model and the feature the batch kernels do not support (e.g. FiLM, condition DSP,
 * post-stack head, Sequential, more than one channel). Thread class: instantiation.
 */
TRIODE_API TriodeStatus
triode_batch_supports(const TriodeBatch* batch, const TriodeModel* model, TriodeError* error);

/**
 * Adds an instance of `model` at index triode_batch_size() (written to *index, nullable). Its state is the one a
 * new TriodeInstance has: initial state, then prewarm (unless the model was loaded with no_prewarm) with
 * ceil(P / max_block) blocks of max_block zeros. A SlimmableContainer runs its full-size submodel, a slimmable
 * WaveNet its full size. Returns TRIODE_FAILURE (nothing added) when the model is not supported.
 * Thread class: instantiation; not concurrent with triode_batch_process().
 */
TRIODE_API TriodeStatus
triode_batch_add(TriodeBatch* batch, const TriodeModel* model, int* index, TriodeError* error);

/**
 * Adds `count` instances of `model` (indices *first .. *first + count - 1; `first` nullable) as triode_batch_add()
 * does, prewarming them together: one launch per prewarm block for all of them, which is what makes adding
 * thousands of instances fast on a GPU. On an error none is added, except when the prewarm itself fails (a device
 * error): the instances then stay, not prewarmed. Thread class: instantiation.
 */
TRIODE_API TriodeStatus
triode_batch_add_n(TriodeBatch* batch, const TriodeModel* model, int count, int* first, TriodeError* error);

/**
 * Replaces the model of instance `index` between two blocks (hot swap). The instance starts from the new
 * model's initial state and is prewarmed like a new instance; the other instances are untouched.
 * On failure (TRIODE_FAILURE when unsupported) the instance keeps its model and state.
 * Thread class: instantiation; call it between two triode_batch_process() calls, never concurrently.
 */
TRIODE_API TriodeStatus
triode_batch_set_model(TriodeBatch* batch, int index, const TriodeModel* model, TriodeError* error);

/** The model of instance `index`, or NULL when out of range. Owned by the caller of triode_batch_add. */
TRIODE_API const TriodeModel*
triode_batch_model(const TriodeBatch* batch, int index);

/**
 * Resets instance `index` like triode_instance_reset(): conv histories zeroed (LSTM state and Linear history
 * kept, as the reference does), then, when `prewarm`, ceil(P / max_block) blocks of zeros.
 * Thread class: instantiation; not concurrent with triode_batch_process().
 */
TRIODE_API TriodeStatus
triode_batch_reset_instance(TriodeBatch* batch, int index, bool prewarm);

/**
 * Restores instance `index` to the state after triode_batch_add() like triode_instance_restart(): the file's
 * initial LSTM state, zeroed histories, then prewarm when `prewarm`. Thread class: instantiation.
 */
TRIODE_API TriodeStatus
triode_batch_restart_instance(TriodeBatch* batch, int index, bool prewarm);

/**
 * Longest time triode_batch_process() waits for the device, in seconds; ≤ 0 (the default) waits for completion.
 * A real-time host sets its block period (frames / sample rate) minus its own margin. When the device has not
 * finished in time, process writes silence, returns TRIODE_FAILURE and the late block is dropped when it
 * completes (every instance's state still advances by that block). The host backend computes on the calling
 * thread and ignores the deadline. Thread class: audio.
 */
TRIODE_API void
triode_batch_set_deadline(TriodeBatch* batch, double seconds);

/**
 * Processes one block of `frames` frames (0 ≤ frames ≤ max_block) for every instance: `in` and `out` hold
 * size × frames floats, instance i's block at offset i * frames. `in` and `out` may alias.
 * Returns TRIODE_ERR_BAD_ARG for a bad argument, TRIODE_FAILURE when the deadline passed (out is silence).
 * Thread class: audio. The host backend allocates nothing and takes no lock. The CUDA backend allocates nothing;
 * it copies through pinned buffers, enqueues the copies and one kernel launch per group on its stream, and waits
 * at most the deadline (the CUDA runtime's launch calls are not formally real-time safe, but bounded).
 */
TRIODE_API TriodeStatus
triode_batch_process(TriodeBatch* batch, const float* in, float* out, int frames);

#ifdef __cplusplus
}
#endif

#endif /* TRIODE_BATCH_H */
