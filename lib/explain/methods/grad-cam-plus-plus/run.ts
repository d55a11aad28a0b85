/**
 * Grad-CAM++ (Chattopadhyay et al. 2018, https://arxiv.org/abs/1710.11063): like Grad-CAM, but each
 * feature map's weight counts only its positive gradients, weighted per position, which helps when the class
 * appears several times. Maths in ../grad-cam/run.ts (`cam`).
 */
import { defineMethod } from '../../define';
import { cam } from '../grad-cam/run';
import { gradCamPlusPlusMeta } from './meta';

export const gradCamPlusPlus = defineMethod(gradCamPlusPlusMeta, (ctx) => cam('grad-cam-plus-plus', ctx));
