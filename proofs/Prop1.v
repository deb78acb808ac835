(* Prop1.v: Proposition 1 of the paper (claim C05) and its rectangular form (C17).  A linear
   map T from V1 x V2 matrices to R1 x R2 matrices is written in coordinates, by its kernel
   K: T(S)_ij = sum_(a, b) K_(ij),(ab) S_ab (every linear map has this form; kernel_linear
   below recovers K from a linear map).  Under
     (U1) locality:    K_(ij),(ab) = 0 unless (a, b) = (t1_i, t2_j), and
     (U2) calibration: T(1) = 1, 1 the all-ones matrices,
   T is the projection S |-> Q1 S Q2^T; neither condition alone suffices. *)
From mathcomp Require Import all_ssreflect all_algebra.
From DPCheck Require Import Selector.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory.
Local Open Scope ring_scope.

Section Kernel.

Variable F : ringType.

(* The linear map with kernel K: T(S)_ij = sum_a sum_b K_(ij),(ab) S_ab. *)
Definition kernel_map R1 R2 V1 V2 (K : 'I_R1 -> 'I_R2 -> 'I_V1 -> 'I_V2 -> F)
    (S : 'M[F]_(V1, V2)) : 'M[F]_(R1, R2) :=
  \matrix_(i, j) \sum_a \sum_b K i j a b * S a b.

(* A kernel that is the indicator of one pair (c, d) reads S_cd. *)
Lemma sum_pick V1 V2 (S : 'M[F]_(V1, V2)) c d :
  \sum_a \sum_b ((a, b) == (c, d))%:R * S a b = S c d.
Proof.
rewrite (bigD1 c) //= (bigD1 d) //= eqxx mul1r big1 ?addr0 => [|b ne_b].
  rewrite big1 ?addr0 // => a ne_a; rewrite big1 // => b _.
  by rewrite xpair_eqE (negbTE ne_a) mul0r.
by rewrite xpair_eqE eqxx (negbTE ne_b) mul0r.
Qed.

(* Under U1 only the entry S_(t1_i, t2_j) reaches T(S)_ij. *)
Lemma kernel_map_local R1 R2 V1 V2 (t1 : 'I_R1 -> 'I_V1) (t2 : 'I_R2 -> 'I_V2) K
    (S : 'M[F]_(V1, V2)) i j :
  (forall i j a b, (a, b) != (t1 i, t2 j) -> K i j a b = 0) ->
  kernel_map K S i j = K i j (t1 i) (t2 j) * S (t1 i) (t2 j).
Proof.
move=> U1; rewrite mxE (bigD1 (t1 i)) //= (bigD1 (t2 j)) //= big1 ?addr0 => [|b ne_b].
  rewrite big1 ?addr0 // => a ne_a; rewrite big1 // => b _.
  by rewrite U1 ?mul0r // xpair_eqE (negbTE ne_a).
by rewrite U1 ?mul0r // xpair_eqE eqxx (negbTE ne_b).
Qed.

(* C17, Proposition 1 for two sequences: U1 and U2 force T(S) = Q1 S Q2^T. *)
Theorem prop1_rect_unique R1 R2 V1 V2 (t1 : 'I_R1 -> 'I_V1) (t2 : 'I_R2 -> 'I_V2)
    (K : 'I_R1 -> 'I_R2 -> 'I_V1 -> 'I_V2 -> F) :
  (forall i j a b, (a, b) != (t1 i, t2 j) -> K i j a b = 0) ->
  kernel_map K (const_mx 1) = const_mx 1 ->
  forall S, kernel_map K S = sel F t1 *m S *m (sel F t2)^T.
Proof.
move=> U1 U2 S; apply/matrixP => i j.
have Kij : K i j (t1 i) (t2 j) = 1.
  by move: U2 => /matrixP /(_ i j); rewrite (kernel_map_local _ _ _ U1) !mxE mulr1.
by rewrite (kernel_map_local _ _ _ U1) Kij mul1r mulmx_selT sel_mulmx.
Qed.

(* C05, Proposition 1: U1 and U2 force T(S) = Q S Q^T. *)
Theorem prop1_unique R V (t : 'I_R -> 'I_V) (K : 'I_R -> 'I_R -> 'I_V -> 'I_V -> F) :
  (forall i j a b, (a, b) != (t i, t j) -> K i j a b = 0) ->
  kernel_map K (const_mx 1) = const_mx 1 ->
  forall S, kernel_map K S = sel F t *m S *m (sel F t)^T.
Proof. exact: prop1_rect_unique. Qed.

(* U1 alone does not force T = Q S Q^T: the zero map is local and differs from it (it
   breaks U2). *)
Theorem prop1_U1_not_enough R V (t : 'I_R -> 'I_V) :
  (0 < R)%N ->
  exists K : 'I_R -> 'I_R -> 'I_V -> 'I_V -> F,
    (forall i j a b, (a, b) != (t i, t j) -> K i j a b = 0) /\
    exists S, kernel_map K S != sel F t *m S *m (sel F t)^T.
Proof.
move=> R_gt0; pose i0 := Ordinal R_gt0.
exists (fun _ _ _ _ => 0); split=> // ; exists (const_mx 1).
apply/eqP => /matrixP /(_ i0 i0) /eqP.
rewrite c02_entrywise !mxE big1 => [|a _]; last by rewrite big1 // => b _; rewrite mul0r.
by rewrite eq_sym oner_eq0.
Qed.

(* U2 alone does not force T = Q S Q^T (V >= 2): T'(S) = Q S Q^T + (S_00 - S_10) 1 maps the
   all-ones matrix to itself and differs from Q S Q^T on the unit matrix E_00 (it breaks U1). *)
Theorem prop1_U2_not_enough R V (t : 'I_R -> 'I_V) :
  (0 < R)%N -> (1 < V)%N ->
  exists K : 'I_R -> 'I_R -> 'I_V -> 'I_V -> F,
    kernel_map K (const_mx 1) = const_mx 1 /\
    exists S, kernel_map K S != sel F t *m S *m (sel F t)^T.
Proof.
move=> R_gt0 V_gt1; pose i0 := Ordinal R_gt0.
pose a0 := Ordinal (ltnW V_gt1); pose a1 := Ordinal V_gt1.
pose K i j a b : F := ((a, b) == (t i, t j))%:R + ((a, b) == (a0, a0))%:R
                      - ((a, b) == (a1, a0))%:R.
have KS S i j : kernel_map K S i j = S (t i) (t j) + (S a0 a0 - S a1 a0).
  rewrite mxE (eq_bigr (fun a => \sum_b ((a, b) == (t i, t j))%:R * S a b
                                 + (\sum_b ((a, b) == (a0, a0))%:R * S a b
                                    - \sum_b ((a, b) == (a1, a0))%:R * S a b))).
    by rewrite big_split sumrB /= !sum_pick.
  move=> a _; rewrite -sumrB -big_split /=; apply: eq_bigr => b _.
  by rewrite /K mulrBl mulrDl addrA.
exists K; split; first by apply/matrixP => i j; rewrite KS !mxE subrr addr0.
exists (delta_mx a0 a0); apply/eqP => /matrixP /(_ i0 i0) /eqP.
rewrite KS c02_entrywise !mxE eqxx /= -subr_eq0 addrAC subrr add0r.
by rewrite subr0 oner_eq0.
Qed.

End Kernel.

(* F is found from the kernel K, so Coq prints kernel_map K S. *)
Arguments kernel_map {F R1 R2 V1 V2} K.

Section Linear.

Variable F : comRingType.

(* The kernel of a linear map T: K_(ij),(ab) = T(E_ab)_ij, E_ab the unit matrices. *)
Lemma kernel_linear R1 R2 V1 V2 (T : {linear 'M[F]_(V1, V2) -> 'M[F]_(R1, R2)}) S :
  T S = kernel_map (fun i j a b => T (delta_mx a b) i j) S.
Proof.
apply/matrixP => i j; rewrite {1}(matrix_sum_delta S) linear_sum !mxE summxE.
apply: eq_bigr => a _; rewrite linear_sum summxE; apply: eq_bigr => b _.
by rewrite linearZ mxE mulrC.
Qed.

(* Proposition 1 for a linear map given as such: U1 on the unit matrices (T(E_ab)_ij = 0
   unless (a, b) = (t_i, t_j)) and U2 force T(S) = Q S Q^T. *)
Theorem prop1_unique_linear R V (t : 'I_R -> 'I_V) (T : {linear 'M[F]_V -> 'M[F]_R}) :
  (forall i j a b, (a, b) != (t i, t j) -> T (delta_mx a b) i j = 0) ->
  T (const_mx 1) = const_mx 1 ->
  forall S, T S = sel F t *m S *m (sel F t)^T.
Proof.
move=> U1 U2 S; rewrite kernel_linear; apply: prop1_unique => // .
by rewrite -kernel_linear.
Qed.

End Linear.
