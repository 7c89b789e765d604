"""Thread settings for the numeric kernels of the projections."""
from __future__ import annotations


def single_thread_blas():
    """A context with BLAS on one thread: tall-skinny GEMMs gain little from two, and OpenBLAS's
    spinning threads slow down about ten-fold when the two cores are shared with other processes."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")
