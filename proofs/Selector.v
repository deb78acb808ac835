(* Selector.v: the one-hot selector Q of a token sequence and the identities the paper's
   attention claims rest on (C02, C03, C06, C07, C14, C16), for every length R, every
   vocabulary size V and every sequence t, over any ring (C07: any commutative ring), hence
   over the rationals and the reals alike. *)
From mathcomp Require Import all_ssreflect all_algebra.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory.
Local Open Scope ring_scope.

Section Selector.

Variable F : ringType.

(* Q i a = 1 when token i of the sequence is a, else 0: the R x V one-hot selector. *)
Definition sel R V (t : 'I_R -> 'I_V) : 'M[F]_(R, V) := \matrix_(i, a) (t i == a)%:R.

(* The projection M = Q S Q^T of a V x V matrix S onto the sequence. *)
Definition proj R V (t : 'I_R -> 'I_V) (S : 'M[F]_V) : 'M[F]_R :=
  sel t *m S *m (sel t)^T.

Section Rows.
Variables (R V : nat) (t : 'I_R -> 'I_V).
Local Notation Q := (sel t).

(* Q picks rows: row i of Q A is row t_i of A. *)
Lemma sel_mulmx n (A : 'M[F]_(V, n)) i b : (Q *m A) i b = A (t i) b.
Proof.
rewrite mxE (bigD1 (t i)) //= mxE eqxx mul1r big1 ?addr0 // => a ne_a.
by rewrite mxE eq_sym (negbTE ne_a) mul0r.
Qed.

(* Q^T picks columns: column j of A Q^T is column t_j of A. *)
Lemma mulmx_selT m (A : 'M[F]_(m, V)) a j : (A *m Q^T) a j = A a (t j).
Proof.
rewrite mxE (bigD1 (t j)) //= !mxE eqxx mulr1 big1 ?addr0 // => b ne_b.
by rewrite !mxE eq_sym (negbTE ne_b) mulr0.
Qed.

End Rows.

(* C02: (Q S Q^T)_ij = S_(t_i, t_j). *)
Theorem c02_entrywise R V (t : 'I_R -> 'I_V) (S : 'M[F]_V) i j :
  (sel t *m S *m (sel t)^T) i j = S (t i) (t j).
Proof. by rewrite mulmx_selT sel_mulmx. Qed.

(* C03: a symmetric S projects to a symmetric M. *)
Theorem c03_symmetric R V (t : 'I_R -> 'I_V) (S : 'M[F]_V) :
  S^T = S -> (sel t *m S *m (sel t)^T)^T = sel t *m S *m (sel t)^T.
Proof.
move=> symS; apply/matrixP => i j.
by rewrite mxE !c02_entrywise -{1}symS mxE.
Qed.

(* C06: with D = Q^T Q (the diagonal of the tokens' multiplicities, c06_D_diag), the
   predictions M (Q S) equal Q S D S ... *)
Theorem c06_predictions R V (t : 'I_R -> 'I_V) (S : 'M[F]_V) :
  let Q := sel t in let M := Q *m S *m Q^T in let D := Q^T *m Q in
  M *m (Q *m S) = Q *m S *m D *m S.
Proof. by rewrite /= !mulmxA. Qed.

(* ... and mapped back onto the sequence by Q^T they are M^2. *)
Theorem c06_predictions_sq R V (t : 'I_R -> 'I_V) (S : 'M[F]_V) :
  let Q := sel t in let M := Q *m S *m Q^T in
  M *m (Q *m S) *m Q^T = M *m M.
Proof. by rewrite /= !mulmxA. Qed.

(* D = Q^T Q is diagonal, entry a the number of positions holding token a. *)
Theorem c06_D_diag R V (t : 'I_R -> 'I_V) a b :
  ((sel t)^T *m sel t) a b = (a == b)%:R * #|[set i | t i == a]|%:R.
Proof.
rewrite mxE (eq_bigr (fun i => ((t i == a) && (t i == b))%:R)); last first.
  by move=> i _; rewrite !mxE -natrM mulnb.
have [<-|ne_ab] := eqVneq a b.
  rewrite mul1r -sum1_card natr_sum [in RHS]big_mkcond /=. apply: eq_bigr => i _.
  by rewrite inE andbb; case: (t i == a).
rewrite mul0r big1 // => i _; case: (t i =P a) => [ti_a|_] //=.
by rewrite -ti_a in ne_ab; rewrite (negbTE ne_ab).
Qed.

(* C14: summing the projected offset matrices is projecting their sum. *)
Theorem c14_offsets_sum R V (t : 'I_R -> 'I_V) (I : Type) (r : seq I) (P : pred I)
    (X : I -> 'M[F]_V) :
  \sum_(k <- r | P k) sel t *m X k *m (sel t)^T = sel t *m (\sum_(k <- r | P k) X k) *m (sel t)^T.
Proof. by rewrite mulmx_sumr mulmx_suml. Qed.

(* C16: S the sum of the heads' matrices S_g projects to the sum of their projections ... *)
Theorem c16_heads_sum R V (t : 'I_R -> 'I_V) h (S : 'M[F]_V) (S_ : 'I_h -> 'M[F]_V) :
  S = \sum_(g < h) S_ g ->
  sel t *m S *m (sel t)^T = \sum_(g < h) sel t *m S_ g *m (sel t)^T.
Proof. by move->; rewrite c14_offsets_sum. Qed.

(* ... and concatenating two heads then applying W_O = [W_O1; W_O2] sums head_g W_Og ... *)
Theorem c16_concat2 R dv dm (H1 H2 : 'M[F]_(R, dv)) (W1 W2 : 'M[F]_(dv, dm)) :
  row_mx H1 H2 *m col_mx W1 W2 = H1 *m W1 + H2 *m W2.
Proof. exact: mul_row_col. Qed.

(* ... and so does the concatenation of any number h of heads (each R x dv) against the
   h blocks W_O^(g) (each dv x dm) of W_O stacked. *)
Theorem c16_concat R h dv dm (head : 'I_h -> 'M[F]_(R, dv)) (WO : 'I_h -> 'M[F]_(dv, dm)) :
  \mxrow_(g < h) head g *m \mxcol_(g < h) WO g = \sum_(g < h) head g *m WO g.
Proof. exact: mul_mxrow_mxcol. Qed.

End Selector.

Section Logits.

Variable F : comRingType.

(* C07: with the embedded sequence H = Q W_E, the logits H W_Q (H W_K)^T are the projection
   of the V x V matrix W_E W_Q W_K^T W_E^T. *)
Theorem c07_logits R V d k (t : 'I_R -> 'I_V) (W_E : 'M[F]_(V, d)) (W_Q W_K : 'M[F]_(d, k)) :
  let H := sel F t *m W_E in
  H *m W_Q *m (H *m W_K)^T = sel F t *m (W_E *m W_Q *m W_K^T *m W_E^T) *m (sel F t)^T.
Proof. by rewrite /= !trmx_mul !mulmxA. Qed.

End Logits.
