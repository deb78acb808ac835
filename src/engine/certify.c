/* certify.c: exact PSD decisions and certified eigenvalue enclosures (certify.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <flint/fmpq.h>
#include <flint/fmpq_mat.h>
#include <acb.h>
#include <acb_mat.h>

#include "certify.h"

/* The largest matrix the certified checks take (the exact tier's instances are at most 8). */
#define CERT_MAX_N 64

int dp_cert_psd(const fmpz_mat_t A, char *why, size_t n, slong *rank)
{
  slong N = fmpz_mat_nrows(A), r = 0;
  int psd = 1;
  char alive[CERT_MAX_N];
  if (why && n)
    why[0] = '\0';
  if (N > CERT_MAX_N) {
    if (why && n)
      snprintf(why, n, "%ld x %ld is beyond the certified checks' %d", (long)N, (long)N,
               CERT_MAX_N);
    return -1;
  }
  fmpq_mat_t W;
  fmpq_t t;
  fmpq_mat_init(W, N, N);
  fmpq_init(t);
  /* W := A from its lower triangle (fmpq_mat_init gives 0/1 entries: the numerators do) */
  for (slong i = 0; i < N; i++) {
    alive[i] = 1;
    for (slong j = 0; j <= i; j++) {
      fmpz_set(fmpq_mat_entry_num(W, i, j), fmpz_mat_entry(A, i, j));
      fmpz_set(fmpq_mat_entry_num(W, j, i), fmpz_mat_entry(A, i, j));
    }
  }
  for (slong step = 0; step < N; step++) {
    slong p = -1;
    for (slong i = 0; i < N && psd; i++) {
      if (!alive[i])
        continue;
      int s = fmpq_sgn(fmpq_mat_entry(W, i, i));
      if (s < 0) {
        psd = 0;
        if (why && n)
          snprintf(why, n, "diagonal entry %ld negative after %ld positive pivots", (long)i + 1,
                   (long)r);
      } else if (s > 0 && p < 0) {
        p = i;
      }
    }
    if (!psd)
      break;
    if (p < 0) { /* every diagonal entry left is 0: so must the rest be */
      for (slong i = 0; i < N && psd; i++)
        for (slong j = 0; j < N && psd; j++)
          if (alive[i] && alive[j] && !fmpq_is_zero(fmpq_mat_entry(W, i, j))) {
            psd = 0;
            if (why && n)
              snprintf(why, n, "diagonal entry %ld zero with entry (%ld, %ld) non-zero after "
                       "%ld positive pivots", (long)i + 1, (long)i + 1, (long)j + 1, (long)r);
          }
      break;
    }
    /* eliminate p: what is left becomes the Schur complement W - w w^T / W_pp */
    alive[p] = 0;
    r++;
    for (slong i = 0; i < N; i++)
      for (slong j = 0; j < N && alive[i]; j++)
        if (alive[j]) {
          fmpq_mul(t, fmpq_mat_entry(W, i, p), fmpq_mat_entry(W, p, j));
          fmpq_div(t, t, fmpq_mat_entry(W, p, p));
          fmpq_sub(fmpq_mat_entry(W, i, j), fmpq_mat_entry(W, i, j), t);
        }
  }
  if (psd && why && n)
    snprintf(why, n, "PSD: %ld positive pivots, the rest exactly 0", (long)r);
  if (psd && rank)
    *rank = r;
  fmpq_mat_clear(W);
  fmpq_clear(t);
  return psd;
}

/* The enclosures at one precision; 1 when proved and separated. */
static int eig_at(arb_ptr lam, arb_mat_struct *proj, const fmpz_mat_t A, slong prec)
{
  slong n = fmpz_mat_nrows(A), idx[CERT_MAX_N];
  acb_mat_t M, Ra, R;
  acb_ptr Ea = _acb_vec_init(n), E = _acb_vec_init(n);
  acb_t s, u;
  acb_init(s);
  acb_init(u);
  acb_mat_init(M, n, n);
  acb_mat_init(Ra, n, n);
  acb_mat_init(R, n, n);
  acb_mat_set_fmpz_mat(M, A);
  acb_mat_approx_eig_qr(Ea, NULL, Ra, M, NULL, 0, prec);
  int ok = acb_mat_eig_simple_rump(E, NULL, R, M, Ea, Ra, prec);
  /* a symmetric matrix has real eigenvalues: each ball must hold its real axis point */
  for (slong i = 0; i < n && ok; i++)
    ok = arb_contains_zero(acb_imagref(E + i));
  /* descending by midpoint; the balls are then proved disjoint in that order, so the k-th
   * ball holds the k-th eigenvalue (n disjoint balls, one eigenvalue each) */
  for (slong i = 0; i < n; i++)
    idx[i] = i;
  for (slong i = 0; i < n && ok; i++)
    for (slong j = i + 1; j < n; j++)
      if (arf_cmp(arb_midref(acb_realref(E + idx[j])), arb_midref(acb_realref(E + idx[i]))) > 0) {
        slong tmp = idx[i];
        idx[i] = idx[j];
        idx[j] = tmp;
      }
  for (slong i = 0; i < n && ok; i++) {
    arb_set(lam + i, acb_realref(E + idx[i]));
    if (i > 0 && !arb_gt(lam + i - 1, lam + i))
      ok = 0;
  }
  /* P_i = r r^* / (r^* r): the projector, whatever r's scaling */
  for (slong i = 0; i < n && ok && proj; i++) {
    slong c = idx[i];
    acb_zero(s);
    for (slong l = 0; l < n; l++) {
      acb_conj(u, acb_mat_entry(R, l, c));
      acb_addmul(s, u, acb_mat_entry(R, l, c), prec);
    }
    for (slong a = 0; a < n && ok; a++)
      for (slong b = 0; b < n && ok; b++) {
        acb_conj(u, acb_mat_entry(R, b, c));
        acb_mul(u, u, acb_mat_entry(R, a, c), prec);
        acb_div(u, u, s, prec);
        arb_set(arb_mat_entry(proj + i, a, b), acb_realref(u));
        ok = arb_is_finite(acb_realref(u));
      }
  }
  acb_clear(s);
  acb_clear(u);
  acb_mat_clear(M);
  acb_mat_clear(Ra);
  acb_mat_clear(R);
  _acb_vec_clear(Ea, n);
  _acb_vec_clear(E, n);
  return ok;
}

int dp_cert_eig_sym_proj(arb_ptr lam, arb_mat_struct *proj, const fmpz_mat_t A)
{
  slong n = fmpz_mat_nrows(A);
  if (n < 1 || n > CERT_MAX_N || fmpz_mat_ncols(A) != n)
    return 0;
  for (slong prec = DP_CERT_PREC; prec <= 4 * DP_CERT_PREC; prec *= 2)
    if (eig_at(lam, proj, A, prec))
      return 1;
  return 0;
}

int dp_cert_eig_sym(arb_ptr lam, const fmpz_mat_t A)
{
  return dp_cert_eig_sym_proj(lam, NULL, A);
}

enum dp_cert dp_cert_ge(const arb_t a, const arb_t b)
{
  if (arb_ge(a, b))
    return DP_CERT_HOLDS;
  if (arb_lt(a, b))
    return DP_CERT_REFUTED;
  return DP_CERT_UNDECIDED;
}

enum dp_cert dp_cert_interlace(arb_srcptr lS, slong n, arb_srcptr lM, slong m, slong *k,
                               int *side)
{
  enum dp_cert worst = DP_CERT_HOLDS;
  slong wk = -1;
  int ws = 0;
  for (slong i = 0; i < m && worst != DP_CERT_REFUTED; i++)
    for (int sd = 0; sd < 2; sd++) {
      enum dp_cert c = sd == 0 ? dp_cert_ge(lS + i, lM + i) : dp_cert_ge(lM + i, lS + i + n - m);
      if (c == DP_CERT_REFUTED || (c == DP_CERT_UNDECIDED && worst == DP_CERT_HOLDS)) {
        worst = c;
        wk = i;
        ws = sd;
        if (c == DP_CERT_REFUTED)
          break;
      }
    }
  if (k)
    *k = wk;
  if (side)
    *side = ws;
  return worst;
}

int dp_cert_sq_sum(arb_t out, arb_srcptr lam, slong n, int sign, const fmpz_t total)
{
  const slong prec = 4 * DP_CERT_PREC;
  arb_t other;
  arb_init(other);
  arb_zero(out);
  int ok = 1;
  for (slong i = 0; i < n && ok; i++) {
    if (arb_contains_zero(lam + i))
      ok = 0;
    else if ((sign < 0) == (arb_is_negative(lam + i) != 0))
      arb_addmul(out, lam + i, lam + i, prec);
    else
      arb_addmul(other, lam + i, lam + i, prec);
  }
  if (ok && total) {
    arb_sub_fmpz(other, other, total, prec);
    arb_neg(other, other);
    if (!arb_intersection(out, out, other, prec))
      ok = -1;
  }
  if (ok != 1)
    arb_indeterminate(out);
  arb_clear(other);
  return ok;
}

void dp_cert_frob2(fmpz_t out, const fmpz_mat_t A)
{
  fmpz_zero(out);
  for (slong i = 0; i < fmpz_mat_nrows(A); i++)
    for (slong j = 0; j < fmpz_mat_ncols(A); j++)
      fmpz_addmul(out, fmpz_mat_entry(A, i, j), fmpz_mat_entry(A, i, j));
}
