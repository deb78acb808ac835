(* wrong_c03_no_sym.v: C03 without its hypothesis S^T = S, with c03_symmetric's own script.
   False (S = E_01, two distinct tokens); tests/proofs.test requires coqc to reject this
   file, and the failure to come from the proof, not the statement. *)
From mathcomp Require Import all_ssreflect all_algebra.
From DPCheck Require Import Selector.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory.
Local Open Scope ring_scope.

Theorem wrong_c03_no_sym (F : ringType) R V (t : 'I_R -> 'I_V) (S : 'M[F]_V) :
  (sel F t *m S *m (sel F t)^T)^T = sel F t *m S *m (sel F t)^T.
Proof.
apply/matrixP => i j.
by rewrite mxE !c02_entrywise.
Qed.
