// uPlot's stylesheet, imported dynamically with the chart module (Vite injects it).
declare module "uplot/dist/uPlot.min.css";
