/*
 * triode: real-time inference of Neural Amp Modeler (.nam) models.
 *
 * Conventions used on every function below:
 *  - Thread class. "instantiation": may allocate, take time and must not run concurrently with any other call on
 *    the same object. "audio": real-time safe (no allocation, no locks, no I/O, bounded work); may run on the audio
 *    thread. Calls on different objects never interfere.
 *  - Ownership. Every pointer a function returns says who frees it. Pointers are non-null unless marked nullable.
 *  - Errors. Functions return a TriodeStatus. Where a TriodeError* is taken it is nullable; when given, it receives
 *    a message naming the file, the JSON path and what was expected.
 *
 * A model (TriodeModel) is immutable once loaded and can be shared by any number of instances (TriodeInstance),
 * each holding its own streaming state.
 */
#ifndef TRIODE_TRIODE_H
#define TRIODE_TRIODE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(TRIODE_SHARED) && defined(TRIODE_INTERNAL)
#define TRIODE_API __declspec(dllexport)
#elif defined(_WIN32) && defined(TRIODE_SHARED)
#define TRIODE_API __declspec(dllimport)
#elif defined(__GNUC__)
#define TRIODE_API __attribute__((visibility("default")))
#else
#define TRIODE_API
#endif

#define TRIODE_VERSION_STRING "0.1.0"

/** Status of every call. Values only grow at the end; numbers are never reused. */
typedef enum {
  TRIODE_SUCCESS = 0,          /**< Done. */
  TRIODE_FAILURE = 1,          /**< Non-fatal: nothing was done (e.g. not applicable to this model). */
  TRIODE_ERR_UNKNOWN = 2,      /**< Unexpected internal error. */
  TRIODE_ERR_BAD_ARG = 3,      /**< An argument is out of range or null. */
  TRIODE_ERR_NO_MEMORY = 4,    /**< Allocation failed. */
  TRIODE_ERR_IO = 5,           /**< A file could not be read (missing, a directory, unreadable, empty). */
  TRIODE_ERR_BAD_JSON = 6,     /**< Not valid JSON, or not a JSON object. */
  TRIODE_ERR_BAD_VERSION = 7,  /**< Missing, malformed or unsupported file-format version. */
  TRIODE_ERR_BAD_ARCH = 8,     /**< Unknown architecture or activation name. */
  TRIODE_ERR_BAD_CONFIG = 9,   /**< A config key is missing, has the wrong type or an inconsistent value. */
  TRIODE_ERR_BAD_WEIGHTS = 10, /**< Wrong weight count, or a weight is not a finite number. */
  TRIODE_ERR_LIMIT = 11,       /**< A size exceeds the library's safety limits (hostile or absurd file). */
  TRIODE_ERR_BAD_STATE = 12,   /**< The call is not valid in the object's current state. */
} TriodeStatus;

/** Short English description of a status. Returns a static string (never freed). Thread class: audio. */
TRIODE_API const char*
triode_strerror(TriodeStatus status);

/** Detailed error report filled by loading functions. */
typedef struct {
  TriodeStatus status;
  char message[1024]; /**< "FILE: JSON-PATH: what was expected, what was found" */
} TriodeError;

/** Options fixed when a model is loaded (they shape how its instances compute). */
typedef struct {
  bool fast_tanh;      /**< Activations named "Tanh" (and LSTM gates) use the reference fast approximation. */
  bool film_snapshot;  /**< Reproduce the snapshot Core: layer1x1_post_film only in blended layers (default false:
                            the upstream fix, applied whenever layer1x1 is active). */
  bool no_prewarm;     /**< Instances do not prewarm on reset (default false: prewarm like the reference). */
} TriodeLoadOptions;

/** Fills `options` with the defaults (exact tanh, fixed FiLM, prewarm on). Thread class: audio. */
TRIODE_API void
triode_load_options_init(TriodeLoadOptions* options);

/* ------------------------------------------------------------------------------------------------------------ */
/* Models                                                                                                         */

typedef struct TriodeModelImpl TriodeModel;

/**
 * Loads a .nam file. On success *model receives a new model that the caller frees with triode_model_free().
 * `options` is nullable (defaults). Thread class: instantiation.
 */
TRIODE_API TriodeStatus
triode_model_load_file(const char* path, const TriodeLoadOptions* options, TriodeModel** model, TriodeError* error);

/**
 * Loads a model from JSON text of `length` bytes; `name` (nullable) is used in error messages in place of a file
 * name. The text is not retained. Thread class: instantiation.
 */
TRIODE_API TriodeStatus
triode_model_load_string(const char* json, size_t length, const char* name, const TriodeLoadOptions* options,
                         TriodeModel** model, TriodeError* error);

/** Frees a model. Null is allowed. Every instance made from it must be freed first. Thread class: instantiation. */
TRIODE_API void
triode_model_free(TriodeModel* model);

/** Architecture name of the top-level model ("WaveNet", "LSTM", ...). Owned by the model. */
TRIODE_API const char*
triode_model_architecture(const TriodeModel* model);

/** File-format version string of the top-level model. Owned by the model. */
TRIODE_API const char*
triode_model_version(const TriodeModel* model);

/** Warning raised while loading (e.g. partially supported version), or NULL. Owned by the model. Nullable. */
TRIODE_API const char*
triode_model_warning(const TriodeModel* model);

/** Sample rate the model expects in Hz, or -1 when the file does not say. */
TRIODE_API double
triode_model_sample_rate(const TriodeModel* model);

/** Number of input / output channels. */
TRIODE_API int
triode_model_num_inputs(const TriodeModel* model);
TRIODE_API int
triode_model_num_outputs(const TriodeModel* model);

/** Receptive field in samples (1 for a memoryless model) of the model at full size. */
TRIODE_API long
triode_model_receptive_field(const TriodeModel* model);

/** Number of zero samples fed by prewarm (before rounding up to whole blocks), at full size. */
TRIODE_API long
triode_model_prewarm_samples(const TriodeModel* model);

/** Number of parameters (weights read from the file, nested models included). */
TRIODE_API long
triode_model_num_params(const TriodeModel* model);

/** Metadata values the reference stores. Each returns true and sets *value when the model has that field. */
TRIODE_API bool
triode_model_loudness(const TriodeModel* model, double* value);
TRIODE_API bool
triode_model_input_level_dbu(const TriodeModel* model, double* value);
TRIODE_API bool
triode_model_output_level_dbu(const TriodeModel* model, double* value);

/** Number of top-level metadata entries; each is available as a key and a value rendered as a string. */
TRIODE_API int
triode_model_metadata_count(const TriodeModel* model);
/** Key and value of entry `index` (strings are unquoted, anything else is compact JSON). Owned by the model. */
TRIODE_API const char*
triode_model_metadata_key(const TriodeModel* model, int index);
TRIODE_API const char*
triode_model_metadata_value(const TriodeModel* model, int index);

/** Whether the model's size can be changed with triode_instance_set_slim(). */
TRIODE_API bool
triode_model_is_slimmable(const TriodeModel* model);

/**
 * Writes up to `capacity` slim breakpoints (sorted, in (0, 1)) into `points` and returns how many the model has.
 */
TRIODE_API int
triode_model_slim_breakpoints(const TriodeModel* model, double* points, int capacity);

/**
 * Describes the model (architecture tree, shapes, parameter counts) as text (json = false) or as a JSON object
 * (json = true). Returns a new string that the caller frees with triode_free(), or NULL when out of memory.
 * Thread class: instantiation.
 */
TRIODE_API char*
triode_model_describe(const TriodeModel* model, bool json);

/** Frees memory returned by the library (e.g. by triode_model_describe). Null is allowed. */
TRIODE_API void
triode_free(void* ptr);

/* ------------------------------------------------------------------------------------------------------------ */
/* Instances (streaming state)                                                                                    */

typedef struct TriodeInstanceImpl TriodeInstance;

/**
 * Creates an instance of `model` and resets it for the model's sample rate (48 kHz when unknown) and blocks of 64
 * frames, prewarming unless the model was loaded with no_prewarm. The model must outlive the instance.
 * The caller frees the instance with triode_instance_free(). Thread class: instantiation.
 */
TRIODE_API TriodeStatus
triode_instance_new(const TriodeModel* model, TriodeInstance** instance, TriodeError* error);

/** Frees an instance. Null is allowed. Thread class: instantiation. */
TRIODE_API void
triode_instance_free(TriodeInstance* instance);

/**
 * Sizes the instance for blocks of up to `max_block` frames (1 ≤ max_block ≤ 65536), clears its state as the
 * reference does (conv histories zeroed; LSTM state and Linear history kept) and prewarms when enabled.
 * `sample_rate` is the host rate, stored for information only. Thread class: instantiation.
 */
TRIODE_API TriodeStatus
triode_instance_reset(TriodeInstance* instance, double sample_rate, int max_block);

/** Enables or disables prewarm on later resets (the default comes from the load options). Thread class: audio. */
TRIODE_API void
triode_instance_set_prewarm(TriodeInstance* instance, bool prewarm);

/**
 * Restores the state the instance had right after triode_instance_new(): the file's initial LSTM state, zeroed
 * histories, then prewarm when enabled. Keeps the current block size. Thread class: instantiation.
 */
TRIODE_API TriodeStatus
triode_instance_restart(TriodeInstance* instance);

/**
 * Processes `frames` frames (any number ≥ 0; more than max_block is split internally). `in` holds
 * num_inputs planar channel pointers, `out` num_outputs. Input and output may alias. Zero latency.
 * Denormals are flushed while processing; the caller's FP mode is restored. Thread class: audio.
 */
TRIODE_API TriodeStatus
triode_instance_process(TriodeInstance* instance, const float* const* in, float* const* out, size_t frames);

/** Same for a model with one input and one output channel (the common case). Thread class: audio. */
TRIODE_API TriodeStatus
triode_instance_process_mono(TriodeInstance* instance, const float* in, float* out, size_t frames);

/**
 * Sets the size of a slimmable model, v in [0, 1] (1 = full size, the default). The new size is built, reset and
 * prewarmed before it becomes active; state is not carried over. Returns TRIODE_FAILURE when the model is not
 * slimmable. Thread class: instantiation.
 */
TRIODE_API TriodeStatus
triode_instance_set_slim(TriodeInstance* instance, double value);

/**
 * Chooses the instruction-set level of this instance's kernels: "scalar", "sse2", "avx2", "avx512" or "neon"; NULL
 * or "" picks the default (the best this CPU supports, or the level named by the environment variable TRIODE_ISA).
 * Returns TRIODE_FAILURE when the level cannot run on this CPU, TRIODE_ERR_BAD_ARG for an unknown name.
 * Outputs of different levels agree within float rounding. Thread class: instantiation.
 */
TRIODE_API TriodeStatus
triode_instance_set_isa(TriodeInstance* instance, const char* isa);

/** Name of the instruction-set level the instance uses. Static string. */
TRIODE_API const char*
triode_instance_isa(const TriodeInstance* instance);

/** Whether the named instruction-set level can run on this CPU (and was compiled in). */
TRIODE_API bool
triode_isa_supported(const char* isa);

/**
 * Measures this core's multiply-add rate at an instruction-set level: independent fused multiply-adds on registers
 * (no memory traffic) for about `seconds` (clamped to 0.001..10), in multiply-adds per second; the SSE2 and scalar
 * levels, which have no fused multiply-add, count a multiply and an add as one. The ceiling that
 * triode_instance_multiply_adds() times the sample rate is set against. Returns 0 when the level is unknown or cannot
 * run here. Occupies the calling thread for that time. Thread class: any but audio.
 */
TRIODE_API double
triode_isa_fma_peak(const char* isa, double seconds);

/** The model the instance was made from. Owned by the caller of triode_instance_new. */
TRIODE_API const TriodeModel*
triode_instance_model(const TriodeInstance* instance);

/** Bytes of memory held by this instance's state and buffers (not counting the shared model). */
TRIODE_API size_t
triode_instance_memory(const TriodeInstance* instance);

/**
 * Multiply-adds per sample frame of the instance's dense products at its current size: each conv, matrix and FIR
 * weight counts once per frame; activations, biases and element-wise work do not (slimmable models count their
 * active size). A measure of the work, for setting a measured speed against triode_isa_fma_peak(). Thread class:
 * any; constant time.
 */
TRIODE_API double
triode_instance_multiply_adds(const TriodeInstance* instance);

/** Evaluations per sample frame of the activations that cost more than a few vector operations. */
typedef struct {
  double tanh;      /**< exact tanh: Tanh activations; an LSTM cell's candidate gate and its output tanh(c) */
  double sigmoid;   /**< exact logistic: Sigmoid and SiLU activations; an LSTM cell's input, forget, output gates */
  double fast_tanh; /**< the reference's fast tanh, and the fast sigmoid defined from it (models loaded fast) */
  /** The recurrent step (LSTM): what one frame's state update waits on before the next frame's can start, for the
      layer with the most of it; all 0 for models without recurrence. */
  double step_multiply_adds; /**< the products that need the previous frame's state */
  double step_tanh, step_sigmoid, step_fast_tanh; /**< activations on that chain, one after the other */
} TriodeActivationCounts;

/**
 * Fills `counts` with the instance's activation evaluations per sample frame at its current size (slimmable models
 * count their active size; cheap element-wise activations such as ReLU or LeakyReLU are not counted), and the
 * recurrent step's chain. With triode_instance_multiply_adds() and the rates of triode_isa_fma_peak(),
 * triode_isa_activation_rate() and triode_isa_activation_latency(), the time a frame costs at the least. Thread
 * class: any; constant time.
 */
TRIODE_API void
triode_instance_activation_counts(const TriodeInstance* instance, TriodeActivationCounts* counts);

/**
 * Measures this core's rate of one activation at an instruction-set level, in values per second: the level's own
 * kernel ("Tanh", "Sigmoid" or "Fasttanh", the names of the .nam format) over a short run of values that stays in
 * the L1 cache, for about `seconds` (clamped to 0.001..10). Returns 0 for an unknown name, or a level that cannot run
 * here. Occupies the calling thread for that time. Thread class: any but audio.
 */
TRIODE_API double
triode_isa_activation_rate(const char* isa, const char* activation, double seconds);

/**
 * Measures the latency of one activation at an instruction-set level, in seconds per evaluation: the level's own
 * kernel applied to its own result in a chain on registers ("Tanh", "Sigmoid" or "Fasttanh"), for about `seconds`
 * (clamped to 0.001..10). What a recurrent step waits on. Returns 0 for an unknown name, or a level that cannot run
 * here. Occupies the calling thread for that time. Thread class: any but audio.
 */
TRIODE_API double
triode_isa_activation_latency(const char* isa, const char* activation, double seconds);

#ifdef __cplusplus
}
#endif

#endif /* TRIODE_TRIODE_H */
