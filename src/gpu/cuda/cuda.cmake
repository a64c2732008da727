# CUDA backend of triode_batch (included by src/gpu/CMakeLists.txt once enable_language(CUDA) succeeded).
# sm_90 code for the H200 plus compute_90 PTX for anything newer; one .cu per kernel, each a thin __global__ wrapper
# around the kernel body of src/gpu/kernels/ that the host backend compiles too.
target_sources(triode_batch PRIVATE
  cuda/backend_cuda.cu
  cuda/wavenet.cu
  cuda/lstm.cu
  cuda/convnet.cu
  cuda/linear.cu
)
target_compile_definitions(triode_batch PRIVATE TRIODE_HAVE_CUDA)
set_target_properties(triode_batch PROPERTIES
  CUDA_ARCHITECTURES "90-real;90-virtual"
  CUDA_STANDARD 17
  CUDA_STANDARD_REQUIRED ON
  CUDA_RUNTIME_LIBRARY Shared)
# No C++ runtime features (thread-safe statics, exceptions), so C programs link these objects with the C compiler.
set(TRIODE_CUDA_WARNINGS -Xcompiler=-Wall,-Wextra,-fno-threadsafe-statics,-fno-exceptions -lineinfo)
if(TRIODE_WERROR)
  list(APPEND TRIODE_CUDA_WARNINGS -Werror=all-warnings -Xcompiler=-Werror)
endif()
target_compile_options(triode_batch PRIVATE $<$<COMPILE_LANGUAGE:CUDA>:${TRIODE_CUDA_WARNINGS}>)
# Consumers are C programs linked by the C compiler: the objects need only the CUDA runtime (no device link step,
# no C++ runtime features are used).
target_link_libraries(triode_batch PUBLIC CUDA::cudart)
