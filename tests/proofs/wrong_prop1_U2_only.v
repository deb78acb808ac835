(* wrong_prop1_U2_only.v: Proposition 1 with calibration (U2) but without locality (U1).  The
   statement is false for V >= 2 (prop1_U2_not_enough); tests/proofs.test requires coqc to
   reject this file, and the failure to come from the proof, not the statement. *)
From mathcomp Require Import all_ssreflect all_algebra.
From DPCheck Require Import Selector Prop1.

Set Implicit Arguments.
Unset Strict Implicit.
Unset Printing Implicit Defensive.

Import GRing.Theory.
Local Open Scope ring_scope.

Theorem wrong_prop1_U2_only (F : ringType) R V (t : 'I_R -> 'I_V)
    (K : 'I_R -> 'I_R -> 'I_V -> 'I_V -> F) :
  kernel_map K (const_mx 1) = const_mx 1 ->
  forall S, kernel_map K S = sel F t *m S *m (sel F t)^T.
Proof.
(* prop1_rect_unique's script with the locality step handed to automation. *)
move=> U2 S; apply/matrixP => i j; rewrite mulmx_selT sel_mulmx.
by move: U2 => /matrixP /(_ i j); rewrite !mxE; auto.
Qed.
