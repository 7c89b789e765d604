// word2vec's per-pair SGD inner loop (skip-gram and CBOW, negative sampling), as in word2vec.c
// and gensim's word2vec_inner.pyx, over the sub-sampled tokens of one training step.
// Built and loaded by engine/models/word2vec_kernel.py (plain C ABI, called through ctypes,
// which releases the GIL for the call).
//
// A step's centre words are cut into `shards` contiguous shards, one thread each. Shard k draws
// its noise words from the unigram^0.75 distribution with its own splitmix64 stream (state
// splitmix64(seed + k * 0xD1B54A32D192ED03)) and Walker's alias table (`w2v_alias`): bucket
// b = (high 32 bits * V) >> 32, kept if the low 32 bits < threshold[b], else alias[b]. The table
// is 8 bytes a word and stays in cache (a 2^22-slot unigram table does not: a miss per draw).
//   deterministic (hogwild = 0): a shard reads the step's starting weights and writes its own
//     copies of the rows it touches; after the step the copies are merged in shard order
//     (W + sum_k (W_k - W)), so the result does not depend on thread timing.
//   hogwild = 1: every shard writes the shared rows directly, as gensim's workers do.
// Loss: each pair's logistic loss just before its update (gensim's compute_loss), summed.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

namespace {

constexpr int MAX_NEGATIVE = 1000;          // noise words per pair (Word2VecConfig refuses more)

struct Rows {                               // one shard's view of one matrix (V, dim)
    float* W = nullptr;
    int dim = 0;
    bool direct = true;                     // write W itself (Hogwild or a single shard)
    std::vector<int32_t> slot;              // (V,) row -> copy number, -1 = not copied
    std::vector<int32_t> touched;           // copied rows, in order of first touch
    std::vector<float> buf;                 // the copies

    float* get(int32_t r) {
        if (direct) return W + (int64_t)r * dim;
        int32_t s = slot[r];
        if (s < 0) {
            s = (int32_t)touched.size();
            slot[r] = s;
            touched.push_back(r);
            size_t need = (size_t)(s + 1) * dim;
            if (buf.size() < need) buf.resize(std::max(need, buf.size() * 2));
            std::memcpy(&buf[(size_t)s * dim], W + (int64_t)r * dim, sizeof(float) * dim);
        }
        return &buf[(size_t)s * dim];
    }
    const float* peek(int32_t r) const {     // where row r is read now (no copy made)
        return direct || slot[r] < 0 ? W + (int64_t)r * dim : &buf[(size_t)slot[r] * dim];
    }
    float* copy_of(int32_t r) { return slot[r] < 0 ? nullptr : &buf[(size_t)slot[r] * dim]; }
};

struct Shard {
    Rows in, out;
    std::vector<float> work, neu1;
    std::vector<int32_t> targets;           // (negative + 1,) one pair's target words
    double loss = 0.0, prob = 1.0;       // summed -log p = loss - log(prob)
    int64_t count = 0;
};

struct Workspace {
    int64_t vocab;
    int dim;
    std::vector<Shard> shards;
};

struct Step {                               // one call's inputs, shared by the shards
    const int32_t* tokens; const int32_t* lines; int64_t n;
    const int32_t* centers; const int32_t* reach;
    const uint32_t* threshold; const int32_t* alias; int64_t vocab;
    int negative; float lr; int dim;
};

inline float dot(const float* __restrict a, const float* __restrict b, int n) {
    float s = 0.f;
#pragma omp simd reduction(+ : s)
    for (int i = 0; i < n; ++i) s += a[i] * b[i];
    return s;
}

inline void axpy(float g, const float* __restrict x, float* __restrict y, int n) {
#pragma omp simd
    for (int i = 0; i < n; ++i) y[i] += g * x[i];
}

// One target row: score, loss, the row's update; the input's update accumulates in `work`.
// The loss -log p (p the probability given to the right label) is summed as log(product of p):
// one multiplication per pair, one log per ~1e-200 of product.
inline void target(Shard& sh, const float* h, float* o, float label, float lr, int dim) {
    float f = dot(h, o, dim);
    float e = std::exp(-std::fabs(f));
    float r = 1.f / (1.f + e);
    float sig = f >= 0.f ? r : e * r;
    float p = (label > 0.f) == (f >= 0.f) ? r : e * r;
    sh.prob *= (double)std::max(p, 1e-38f);
    if (sh.prob < 1e-200) { sh.loss -= std::log(sh.prob); sh.prob = 1.0; }
    float g = (label - sig) * lr;
    axpy(g, o, sh.work.data(), dim);
    axpy(g, h, o, dim);
}

inline uint64_t splitmix64(uint64_t& x) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

inline int32_t noise(uint64_t& x, const Step& s) {
    uint64_t z = splitmix64(x);
    uint32_t b = (uint32_t)(((z >> 32) * (uint64_t)s.vocab) >> 32);
    return (uint32_t)z < s.threshold[b] ? (int32_t)b : s.alias[b];
}

// A pair's targets: the centre word, then its noise words (those equal to it skipped, as in
// gensim); their W2 rows are prefetched while the first ones are scored.
inline int draw(Shard& sh, const Step& s, uint64_t& x, int32_t word) {
    int nt = 0;
    sh.targets[nt++] = word;
    for (int d = 0; d < s.negative; ++d) {
        int32_t t = noise(x, s);
        if (t != word) sh.targets[nt++] = t;
    }
    for (int i = 0; i < nt; ++i) {
        const char* row = (const char*)sh.out.peek(sh.targets[i]);
        for (int b = 0; b < s.dim * (int)sizeof(float); b += 64) __builtin_prefetch(row + b);
    }
    return nt;
}

// Skip-gram: every context word's W1 row predicts the centre's W2 row against fresh noise rows.
void skipgram(Shard& sh, const Step& s, int64_t c0, int64_t c1, uint64_t x, int dim) {
    for (int64_t ci = c0; ci < c1; ++ci) {
        int64_t p = s.centers[ci];
        int32_t word = s.tokens[p], line = s.lines[p];
        int64_t lo = std::max<int64_t>(0, p - s.reach[ci]), hi = std::min<int64_t>(s.n - 1, p + s.reach[ci]);
        for (int64_t q = lo; q <= hi; ++q) {
            if (q == p || s.lines[q] != line) continue;
            int nt = draw(sh, s, x, word);
            float* h = sh.in.get(s.tokens[q]);
            std::fill(sh.work.begin(), sh.work.end(), 0.f);
            for (int i = 0; i < nt; ++i) target(sh, h, sh.out.get(sh.targets[i]), i == 0 ? 1.f : 0.f, s.lr, dim);
            axpy(1.f, sh.work.data(), h, dim);
            sh.count += 1;
        }
    }
}

// CBOW (gensim's cbow_mean=1): the mean of the context rows predicts the centre; every context
// row then gets the whole accumulated error.
void cbow(Shard& sh, const Step& s, int64_t c0, int64_t c1, uint64_t x, int dim) {
    float* neu1 = sh.neu1.data();
    for (int64_t ci = c0; ci < c1; ++ci) {
        int64_t p = s.centers[ci];
        int32_t word = s.tokens[p], line = s.lines[p];
        int64_t lo = std::max<int64_t>(0, p - s.reach[ci]), hi = std::min<int64_t>(s.n - 1, p + s.reach[ci]);
        int count = 0;
        std::fill(sh.neu1.begin(), sh.neu1.end(), 0.f);
        for (int64_t q = lo; q <= hi; ++q) {
            if (q == p || s.lines[q] != line) continue;
            axpy(1.f, sh.in.get(s.tokens[q]), neu1, dim);
            ++count;
        }
        if (count == 0) continue;
        float inv = 1.f / (float)count;
        for (int i = 0; i < dim; ++i) neu1[i] *= inv;
        int nt = draw(sh, s, x, word);
        std::fill(sh.work.begin(), sh.work.end(), 0.f);
        for (int i = 0; i < nt; ++i) target(sh, neu1, sh.out.get(sh.targets[i]), i == 0 ? 1.f : 0.f, s.lr, dim);
        for (int64_t q = lo; q <= hi; ++q) {
            if (q == p || s.lines[q] != line) continue;
            axpy(1.f, sh.work.data(), sh.in.get(s.tokens[q]), dim);
        }
        sh.count += 1;
    }
}

// After a deterministic step: W[r] = W_k0[r] + sum_{k > k0} (W_k[r] - W[r]) over the shards that
// copied row r, k0 the first of them. Part `part` of `parts` merges the rows [part, part + 1) x V /
// parts (contiguous: no cache line is written by two parts), then forgets their copies (the caller
// clears the touched lists).
void merge(std::vector<Rows*>& views, float* W, int64_t vocab, int dim, int part, int parts) {
    int64_t lo = vocab * part / parts, hi = vocab * (part + 1) / parts;
    std::vector<float> row(dim);
    for (size_t k = 0; k < views.size(); ++k) {
        for (int32_t r : views[k]->touched) {
            bool seen = r < lo || r >= hi;
            for (size_t j = 0; j < k && !seen; ++j) seen = views[j]->slot[r] >= 0;
            if (seen) continue;
            float* base = W + (int64_t)r * dim;
            std::memcpy(row.data(), views[k]->copy_of(r), sizeof(float) * dim);
            for (size_t j = k + 1; j < views.size(); ++j) {
                const float* other = views[j]->copy_of(r);
                if (other)
                    for (int i = 0; i < dim; ++i) row[i] += other[i] - base[i];
            }
            std::memcpy(base, row.data(), sizeof(float) * dim);
        }
    }
    for (Rows* v : views)
        for (int32_t r : v->touched)
            if (r >= lo && r < hi) v->slot[r] = -1;
}

}  // namespace

extern "C" {

void* w2v_workspace_new(int64_t vocab, int dim, int shards) {
    Workspace* ws = new Workspace{vocab, dim, std::vector<Shard>(shards)};
    for (Shard& sh : ws->shards) {
        sh.in.dim = sh.out.dim = dim;
        sh.in.slot.assign(shards > 1 ? vocab : 0, -1);
        sh.out.slot.assign(shards > 1 ? vocab : 0, -1);
        sh.work.assign(dim, 0.f);
        sh.neu1.assign(dim, 0.f);
        sh.targets.assign(MAX_NEGATIVE + 1, 0);
    }
    return ws;
}

void w2v_workspace_free(void* ws) { delete static_cast<Workspace*>(ws); }

// Walker's alias table (Vose's construction) of the distribution p (n, sums to 1): bucket b
// gives b with probability threshold[b] / 2^32 and alias[b] otherwise.
void w2v_alias(const double* p, int64_t n, uint32_t* threshold, int32_t* alias) {
    std::vector<double> q(n);
    std::vector<int64_t> small, large;
    for (int64_t i = 0; i < n; ++i) {
        q[i] = p[i] * (double)n;
        (q[i] < 1.0 ? small : large).push_back(i);
    }
    while (!small.empty() && !large.empty()) {
        int64_t a = small.back(), b = large.back();
        small.pop_back(); large.pop_back();
        threshold[a] = (uint32_t)std::min(4294967295.0, std::floor(q[a] * 4294967296.0));
        alias[a] = (int32_t)b;
        q[b] = (q[b] + q[a]) - 1.0;
        (q[b] < 1.0 ? small : large).push_back(b);
    }
    for (auto* rest : {&small, &large})
        for (int64_t i : *rest) { threshold[i] = 4294967295u; alias[i] = (int32_t)i; }
}

// One step over `n_centers` centre positions of `tokens` (n); returns 0, or -1 on bad sizes.
// One call at a time per workspace (its shards' scratch rows are reused).
// loss_out: summed pair (skip-gram) or window (CBOW) loss; count_out: pairs or windows trained.
int w2v_train(void* handle, float* w_in, float* w_out, const int32_t* tokens, const int32_t* lines, int64_t n,
              const int32_t* centers, const int32_t* reach, int64_t n_centers, const uint32_t* threshold,
              const int32_t* alias, int negative, int cbow_mode, float lr, uint64_t seed, int hogwild,
              double* loss_out, int64_t* count_out) {
    Workspace* ws = static_cast<Workspace*>(handle);
    int shards = (int)ws->shards.size(), dim = ws->dim;
    if (shards < 1 || negative < 0 || negative > MAX_NEGATIVE) return -1;
    Step s{tokens, lines, n, centers, reach, threshold, alias, ws->vocab, negative, lr, dim};
    bool direct = hogwild || shards == 1;
    for (Shard& sh : ws->shards) {
        sh.in.W = w_in; sh.out.W = w_out;
        sh.in.direct = sh.out.direct = direct;
        sh.loss = 0.0; sh.prob = 1.0; sh.count = 0;
    }
    auto run = [&](int k) {
        int64_t c0 = n_centers * k / shards, c1 = n_centers * (k + 1) / shards;
        uint64_t start = seed + (uint64_t)k * 0xD1B54A32D192ED03ULL;
        uint64_t x = splitmix64(start);
        if (cbow_mode) cbow(ws->shards[k], s, c0, c1, x, dim);
        else skipgram(ws->shards[k], s, c0, c1, x, dim);
    };
    std::vector<std::thread> pool;
    for (int k = 1; k < shards; ++k) pool.emplace_back(run, k);
    run(0);
    for (std::thread& t : pool) t.join();
    if (!direct) {
        std::vector<Rows*> ins, outs;
        for (Shard& sh : ws->shards) { ins.push_back(&sh.in); outs.push_back(&sh.out); }
        auto part = [&](int k) {
            merge(ins, w_in, ws->vocab, dim, k, shards);
            merge(outs, w_out, ws->vocab, dim, k, shards);
        };
        pool.clear();
        for (int k = 1; k < shards; ++k) pool.emplace_back(part, k);
        part(0);
        for (std::thread& t : pool) t.join();
        for (Rows* v : ins) v->touched.clear();
        for (Rows* v : outs) v->touched.clear();
    }
    double loss = 0.0;
    int64_t count = 0;
    for (Shard& sh : ws->shards) { loss += sh.loss - std::log(sh.prob); count += sh.count; }
    *loss_out = loss;
    *count_out = count;
    return 0;
}

}  // extern "C"
