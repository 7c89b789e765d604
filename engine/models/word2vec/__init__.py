"""word2vec, all of its parts together:

    model.py        Word2VecConfig and the Word2Vec module (skip-gram / CBOW, negative sampling)
    data.py         vocabulary, sub-sampling, reduced windows, token runs
    fused.py        the training step through the compiled kernel
    kernel.py       building and loading kernel.cpp (gensim's per-pair SGD loop)
    sparse_sgd.py   plain SGD over sparse embedding gradients
    thread_pool.py  a small thread pool for the kernel's shards
"""
