/* softmax.c: the numerically stable row softmax and what claims C11-C13 measure with it.
 *
 * Paper: attention weights A = softmax_rows(H W_Q W_K^T H^T / sqrt(d_k)) (C11: softmax of
 * log counts is the conditional co-occurrence; C12: its small-signal expansion; C13: the
 * 1/sqrt(d_k) scaling and saturation).  The row softmax subtracts the row maximum before
 * exponentiating, so the largest term is exp(0) = 1, the normaliser lies in [1, C] and no
 * finite logit overflows; masked entries (-inf) are never exponentiated and get weight exactly
 * 0.  In the ordinary case the arithmetic is the textbook one (y = scale z + b, y - m, exp,
 * sum, divide), so its rounding is what the claims' test ratios budget for: an absolute error
 * eps |y| in a logit becomes a relative error of the same size in the weight.  Only when
 * scale z + b itself would overflow is y formed in units of 2^e (exact power-of-two scaling).
 * Every function checks its shapes and entries and returns a GSL status (err.h). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include "args.h"
#include "err.h"
#include "softmax.h"

/* Exponent of a finite non-zero |v| (ilogb), and a very small one for 0. */
static int expo(double v) { return v == 0.0 ? -1100 : ilogb(v); }

/* One row: n logits z (stride zs), optional bias b (stride bs), weights into w (stride ws,
 * may equal z).  row: for messages. */
static int row_softmax(const double *z, size_t zs, const double *b, size_t bs, size_t n,
                       double scale, double *w, size_t ws, double *lse, size_t row)
{
  /* Pass 0: validate; the largest |z| and |b| among the unmasked entries decide whether
   * scale z + b can overflow. */
  double zmax = 0.0, bmax = 0.0;
  size_t kept = 0;
  for (size_t j = 0; j < n; j++) {
    double zj = z[j * zs], bj = b ? b[j * bs] : 0.0;
    if (isnan(zj) || zj == INFINITY)
      return DP_ERROR(GSL_EDOM, "softmax: row %zu, entry %zu: logit %g", row, j, zj);
    if (isnan(bj) || bj == INFINITY)
      return DP_ERROR(GSL_EDOM, "softmax: row %zu, entry %zu: mask %g", row, j, bj);
    if (zj == -INFINITY && !(scale > 0.0))
      return DP_ERROR(GSL_EDOM, "softmax: row %zu, entry %zu: logit -inf with scale %g", row,
                      j, scale);
    if (zj == -INFINITY || bj == -INFINITY)
      continue;
    kept++;
    zmax = fmax(zmax, fabs(zj));
    bmax = fmax(bmax, fabs(bj));
  }
  if (kept == 0)
    return DP_ERROR(GSL_EDOM, "softmax: row %zu: every entry is masked", row);
  /* |scale z| < 2^(expo(scale) + expo(z) + 2) and |b| < 2^(expo(b) + 1): with both exponents
   * at most 1020 the sum stays below 2^1023. */
  int e = 0, ep = expo(scale) + expo(zmax) + 2, eb = expo(bmax) + 1;
  if (ep > 1021 || eb > 1021) {
    int need = (ep > eb ? ep : eb) - 1021;
    e = need > 1 ? need : 1;
  }
  double s = e ? ldexp(scale, -e) : scale;
  /* Pass 1: y_j (masked: -inf), written into w; the maximum. */
  double m = -INFINITY;
  for (size_t j = 0; j < n; j++) {
    double zj = z[j * zs], bj = b ? b[j * bs] : 0.0, y;
    if (zj == -INFINITY || bj == -INFINITY)
      y = -INFINITY;
    else if (e)
      y = s * zj + ldexp(bj, -e);
    else
      y = scale * zj + bj;
    w[j * ws] = y;
    if (y > m)
      m = y;
  }
  /* Pass 2: exp(y - m), the normaliser (>= 1: the maximum contributes exp(0)). */
  double sum = 0.0;
  for (size_t j = 0; j < n; j++) {
    double y = w[j * ws], v;
    if (y == -INFINITY)
      v = 0.0; /* masked: exactly 0, never exponentiated */
    else {
      double d = y - m; /* <= 0; may round to -inf for a gap beyond DBL_MAX: weight 0 */
      v = exp(e ? ldexp(d, e) : d);
    }
    w[j * ws] = v;
    sum += v;
  }
  for (size_t j = 0; j < n; j++)
    w[j * ws] /= sum;
  if (lse)
    *lse = (e ? ldexp(m, e) : m) + log(sum);
  return GSL_SUCCESS;
}

int dp_softmax_rows(const gsl_matrix *Z, double scale, const gsl_matrix *B, gsl_matrix *W,
                    gsl_vector *lse)
{
  if (!Z || !W)
    return DP_ERROR(GSL_EFAULT, "softmax: Z or W is NULL");
  size_t R = Z->size1, C = Z->size2;
  DP_TRY(dp_args_shape("softmax", "W", W, R, C));
  if (B)
    DP_TRY(dp_args_shape("softmax", "mask", B, R, C));
  if (lse && lse->size != R)
    return DP_ERROR(GSL_EBADLEN, "softmax: lse has %zu entries for %zu rows", lse->size, R);
  if (!isfinite(scale))
    return DP_ERROR(GSL_EINVAL, "softmax: scale %g is not finite", scale);
  for (size_t i = 0; i < R; i++) {
    double l;
    int st = row_softmax(Z->data + i * Z->tda, 1, B ? B->data + i * B->tda : NULL, 1, C, scale,
                         W->data + i * W->tda, 1, &l, i);
    if (st != GSL_SUCCESS)
      return st;
    if (lse)
      gsl_vector_set(lse, i, l);
  }
  return GSL_SUCCESS;
}

int dp_softmax_vector(const gsl_vector *z, double scale, const gsl_vector *b, gsl_vector *w,
                      double *lse)
{
  if (!z || !w)
    return DP_ERROR(GSL_EFAULT, "softmax: z or w is NULL");
  if (w->size != z->size || (b && b->size != z->size))
    return DP_ERROR(GSL_EBADLEN, "softmax: z has %zu entries, w %zu, b %zu", z->size, w->size,
                    b ? b->size : z->size);
  if (!isfinite(scale))
    return DP_ERROR(GSL_EINVAL, "softmax: scale %g is not finite", scale);
  double l;
  int st = row_softmax(z->data, z->stride, b ? b->data : NULL, b ? b->stride : 0, z->size, scale,
                       w->data, w->stride, &l, 0);
  if (st == GSL_SUCCESS && lse)
    *lse = l;
  return st;
}

double dp_softmax_scale_dk(size_t d_k) { return d_k ? 1.0 / sqrt((double)d_k) : 0.0; }

int dp_softmax_mask_causal(gsl_matrix *B)
{
  if (!B)
    return DP_ERROR(GSL_EFAULT, "causal mask: B is NULL");
  for (size_t i = 0; i < B->size1; i++)
    for (size_t j = 0; j < B->size2; j++)
      gsl_matrix_set(B, i, j, j <= i ? 0.0 : -INFINITY);
  return GSL_SUCCESS;
}

int dp_softmax_mask_keep(const unsigned char *keep, gsl_matrix *B)
{
  if (!keep || !B)
    return DP_ERROR(GSL_EFAULT, "mask: keep or B is NULL");
  for (size_t i = 0; i < B->size1; i++)
    for (size_t j = 0; j < B->size2; j++)
      gsl_matrix_set(B, i, j, keep[i * B->size2 + j] ? 0.0 : -INFINITY);
  return GSL_SUCCESS;
}

static int entropy_of(const double *w, size_t stride, size_t n, double *H, double *wmax,
                      size_t row)
{
  double h = 0.0, mx = 0.0;
  for (size_t j = 0; j < n; j++) {
    double v = w[j * stride];
    if (!(v >= 0.0) || !isfinite(v))
      return DP_ERROR(GSL_EDOM, "entropy: row %zu, entry %zu: weight %g", row, j, v);
    if (v > 0.0)
      h -= v * log(v); /* 0 log 0 = 0 */
    if (v > mx)
      mx = v;
  }
  if (H)
    *H = h;
  if (wmax)
    *wmax = mx;
  return GSL_SUCCESS;
}

int dp_softmax_entropy(const gsl_vector *w, double *H, double *wmax)
{
  if (!w)
    return DP_ERROR(GSL_EFAULT, "entropy: w is NULL");
  return entropy_of(w->data, w->stride, w->size, H, wmax, 0);
}

int dp_softmax_row_stats(const gsl_matrix *W, gsl_vector *H, gsl_vector *wmax)
{
  if (!W)
    return DP_ERROR(GSL_EFAULT, "row stats: W is NULL");
  if ((H && H->size != W->size1) || (wmax && wmax->size != W->size1))
    return DP_ERROR(GSL_EBADLEN, "row stats: %zu rows, outputs of %zu and %zu entries",
                    W->size1, H ? H->size : W->size1, wmax ? wmax->size : W->size1);
  for (size_t i = 0; i < W->size1; i++) {
    double h = 0.0, mx = 0.0;
    int st = entropy_of(W->data + i * W->tda, 1, W->size2, &h, &mx, i);
    if (st != GSL_SUCCESS)
      return st;
    if (H)
      gsl_vector_set(H, i, h);
    if (wmax)
      gsl_vector_set(wmax, i, mx);
  }
  return GSL_SUCCESS;
}

int dp_softmax_conditional(const gsl_matrix *X, const size_t *t, size_t R,
                           const gsl_vector *prior, gsl_matrix *P)
{
  if (!X || !t || !P)
    return DP_ERROR(GSL_EFAULT, "conditional: X, t or P is NULL");
  size_t V = X->size1;
  if (X->size2 != V || R == 0 || P->size1 != R || P->size2 != R || (prior && prior->size != R))
    return DP_ERROR(GSL_EBADLEN, "conditional: X %zu x %zu, R = %zu, P %zu x %zu, prior %zu",
                    X->size1, X->size2, R, P->size1, P->size2, prior ? prior->size : R);
  DP_TRY(dp_args_tokens("conditional", "t", t, R, V));
  for (size_t j = 0; prior && j < R; j++) {
    double p = gsl_vector_get(prior, j);
    if (!(p > 0.0) || !isfinite(p))
      return DP_ERROR(GSL_EDOM, "conditional: prior[%zu] = %g is not finite and positive", j, p);
  }
  for (size_t i = 0; i < R; i++) {
    double sum = 0.0;
    for (size_t j = 0; j < R; j++) {
      double x = gsl_matrix_get(X, t[i], t[j]);
      if (!(x >= 0.0) || !isfinite(x))
        return DP_ERROR(GSL_EDOM, "conditional: X[%zu][%zu] = %g is not finite and >= 0", t[i],
                        t[j], x);
      double v = prior ? x * gsl_vector_get(prior, j) : x;
      gsl_matrix_set(P, i, j, v);
      sum += v;
    }
    if (!(sum > 0.0) || !isfinite(sum))
      return DP_ERROR(GSL_EDOM, "conditional: row %zu (word %zu) has mass %g", i, t[i], sum);
    for (size_t j = 0; j < R; j++)
      gsl_matrix_set(P, i, j, gsl_matrix_get(P, i, j) / sum);
  }
  return GSL_SUCCESS;
}

static int same_shape(const char *who, const gsl_matrix *A, const gsl_matrix *B)
{
  if (!A)
    return DP_ERROR(GSL_EFAULT, "%s: NULL matrix", who);
  DP_TRY(dp_args_shape(who, "output", B, A->size1, A->size2));
  if (A->size2 == 0)
    return DP_ERROR(GSL_EBADLEN, "%s: rows of length 0", who);
  return GSL_SUCCESS;
}

static double row_mean(const gsl_matrix *M, size_t i)
{
  double s = 0.0;
  for (size_t j = 0; j < M->size2; j++)
    s += gsl_matrix_get(M, i, j);
  return s / (double)M->size2;
}

int dp_softmax_centre_rows(const gsl_matrix *M, gsl_matrix *Mc)
{
  int st = same_shape("centre rows", M, Mc);
  if (st != GSL_SUCCESS)
    return st;
  for (size_t i = 0; i < M->size1; i++) {
    double mu = row_mean(M, i);
    for (size_t j = 0; j < M->size2; j++)
      gsl_matrix_set(Mc, i, j, gsl_matrix_get(M, i, j) - mu);
  }
  return GSL_SUCCESS;
}

int dp_softmax_expansion(const gsl_matrix *M, double beta, int centred, gsl_matrix *L)
{
  int st = same_shape("expansion", M, L);
  if (st != GSL_SUCCESS)
    return st;
  if (!isfinite(beta))
    return DP_ERROR(GSL_EINVAL, "expansion: beta %g is not finite", beta);
  double C = (double)M->size2;
  for (size_t i = 0; i < M->size1; i++) {
    double mu = centred ? row_mean(M, i) : 0.0;
    for (size_t j = 0; j < M->size2; j++)
      gsl_matrix_set(L, i, j, 1.0 / C + (beta / C) * (gsl_matrix_get(M, i, j) - mu));
  }
  return GSL_SUCCESS;
}

int dp_softmax_taylor(const gsl_matrix *M, gsl_matrix *A1, gsl_matrix *A2, gsl_matrix *A3,
                      gsl_matrix *A4)
{
  gsl_matrix *out[4] = {A1, A2, A3, A4};
  for (int k = 0; k < 4; k++)
    if (out[k]) {
      int st = same_shape("taylor", M, out[k]);
      if (st != GSL_SUCCESS)
        return st;
    }
  if (!M)
    return DP_ERROR(GSL_EFAULT, "taylor: M is NULL");
  size_t C = M->size2;
  double Cd = (double)C;
  double *x = malloc((C ? C : 1) * sizeof *x);
  if (!x)
    return DP_ERROR(GSL_ENOMEM, "taylor: out of memory for %zu entries", C);
  for (size_t i = 0; i < M->size1; i++) {
    double mu = row_mean(M, i), m2 = 0.0, m3 = 0.0, m4 = 0.0;
    for (size_t j = 0; j < C; j++) {
      x[j] = gsl_matrix_get(M, i, j) - mu;
      double x2 = x[j] * x[j];
      m2 += x2;
      m3 += x2 * x[j];
      m4 += x2 * x2;
    }
    m2 /= Cd, m3 /= Cd, m4 /= Cd;
    for (size_t j = 0; j < C; j++) {
      double v = x[j], v2 = v * v;
      if (A1)
        gsl_matrix_set(A1, i, j, v / Cd);
      if (A2)
        gsl_matrix_set(A2, i, j, (v2 - m2) / (2.0 * Cd));
      if (A3)
        gsl_matrix_set(A3, i, j, (v2 * v - 3.0 * m2 * v - m3) / (6.0 * Cd));
      if (A4)
        gsl_matrix_set(A4, i, j,
                       (v2 * v2 - 6.0 * m2 * v2 - 4.0 * m3 * v + 6.0 * m2 * m2 - m4) / (24.0 * Cd));
    }
  }
  free(x);
  return GSL_SUCCESS;
}
