var us=(e,t,n)=>()=>{if(n)throw n[0];try{return e&&(t=e(e=0)),t}catch(r){throw n=[r],r}};function re(e){e&&e.parentNode&&e.remove()}function oe(e,t,n){var r,a,i,u={},d=arguments.length;for(i in t)i=="key"?r=t[i]:i=="ref"&&typeof e!="function"?a=t[i]:u[i]=t[i];return d>2&&(u.children=d>3?Le.call(arguments,2):n),ce(e,u,r,a,null)}function st(e,t,n){var r,a,i,u=X({},e.props),d=arguments.length;for(i in t)i=="key"?r=t[i]:i=="ref"&&typeof e.type!="function"?a=t[i]:u[i]=t[i];return d>2&&(u.children=d>3?Le.call(arguments,2):n),ce(e.type,u,r!==void 0?r:e.key,a!==void 0?a:e.ref,null)}function ce(e,t,n,r,a){var i={type:e,props:t,key:n,ref:r,__k:null,__:null,__b:0,__e:null,__c:null,constructor:be,__v:a||++Ct,__i:-1,__u:0};return!a&&P.vnode&&P.vnode(i),i}function w(e){return e.children}function De(e,t){this.props=e,this.context=t,this.__g=0}function ee(e,t){if(t==null)return e.__&&ee(e.__,e.__i+1);for(var n;t<e.__k.length;t++)if((n=e.__k[t])&&n.__e)return n.__e;return typeof e.type!="function"||e.props.__P?null:ee(e)}function ps(e){var t,n=e.__v,r=n.__e,a=[],i=[],u=e.__P;u&&((t=X({constructor:be},n)).__v=n.__v+1,P.vnode&&P.vnode(t),ot(u,t,n,e.__n,u.namespaceURI,32&n.__u?[r]:null,a,r||ee(n),32&n.__u,i),t.__v=n.__v,t.__.__k[t.__i]=t,Ft(a,t,i),n.__=n.__e=null,t.__e!=r&&Mt(t))}function Mt(e){if((e=e.__)&&e.__c&&!e.props.__P)return e.__e=null,e.__k.some(function(t){return t&&(e.__e=t.__e)}),Mt(e)}function tt(e){(8&e.__g||(e.__g|=8,Z.push(e),Ue++))&&Xe==P.debounceRendering||((Xe=P.debounceRendering)||queueMicrotask)(Lt)}function Lt(){try{for(var e,t=1;Z.length;)Z.length>t&&Z.sort(Ut),e=Z.shift(),t=Z.length,8&e.__g&&ps(e)}finally{(Ue=Z.length)&&(Xe||queueMicrotask)(Lt)}}function Ot(e,t,n,r,a,i,u,d,p,m,l){var g,y,c,f,h,_,R=r.__k||Ne,A=t.length;for(p=ms(n,t,R,p,A),g=0;g<A;g++)(c=n.__k[g])!=null&&(y=~c.__i&&R[c.__i]||Ie,c.__i=g,_=ot(e,c,y,a,i,u,d,p,m,l),f=c.__e,(y.ref!=c.ref||8&y.__u)&&(y.ref&&it(y.ref,null,c,y),c.ref&&l.push(c.ref,c.__c||f,c)),h=h||f,4&c.__u?(p=Vt(c,p,e,!y.__v),y.__e&&(y.__e=null)):typeof c.type=="function"&&_!==void 0?p=_:f&&(p=f.nextSibling),c.__u&=-21);return n.__e=h,p}function ms(e,t,n,r,a){var i,u,d,p,m,l,g,y,c,f=n.length,h=f,_=0,R=0,A=e.__k=Array(a);for(i=0;i<a;i++)(u=t[i])!=null&&typeof u!="boolean"&&typeof u!="function"?(typeof u!="object"||u.constructor===String?u=A[i]=ce(null,u):Me(u)?u=A[i]=ce(w,{children:u}):u.constructor===be&&u.__b?u=A[i]=ce(u.type,u.props,u.key,u.ref,u.__v):A[i]=u,p=i+_,u.__=e,u.__b=e.__b+1,d=null,~(m=u.__i=fs(u,n,p,h))&&(h--,(d=n[m])&&(d.__u|=2)),d&&d.__v?(u.__u|=16,m==p-1?_--:m==p+1?_++:m!=p&&(m>p?_--:_++,R=1)):(~m||(a>f?_--:a<f&&_++),typeof u.type!="function"&&(u.__u|=4))):A[i]=null;if(R){for(l=[],g=[],i=0;i<a;i++)if((u=A[i])&&16&u.__u){for(_=0,y=l.length;_<y;)l[c=_+y>>1]<u.__i?_=c+1:y=c;l[_]=u.__i,g[i]=_+1}for(_=l.length;i--;)g[i]&&(g[i]==_?_--:A[i].__u|=4)}if(h)for(i=0;i<f;i++)!(d=n[i])||2&d.__u||(d.__e==r&&(r=ee(d)),at(d,d));return r}function Vt(e,t,n,r){var a,i,u,d;if(typeof e.type=="function"){if(e.props.__P)return t;if(a=e.__k)for(i=0;i<a.length;i++)a[i]&&(a[i].__=e,t=Vt(a[i],t,n,!1));return t}for(t&&!t.parentNode&&(t=ee(e))&&!t.parentNode&&(t=null),u=e.__e,d=t;d&&d.nodeType==8;)d=d.nextSibling;for(u!=d&&(!r&&n.moveBefore&&u.parentNode?n.moveBefore(u,t):n.insertBefore(u,t||null)),t=u;(t=t&&t.nextSibling)&&t.nodeType==8&&!t.data.startsWith("$s"););return t}function rt(e,t){return t=t||[],e!=null&&typeof e!="boolean"&&(Me(e)?e.some(function(n){rt(n,t)}):t.push(e)),t}function fs(e,t,n,r){var a,i=e.key,u=e.type,d=t[n],p=d&&!(2&d.__u);if(d===null&&i==null||p&&i==d.key&&u==d.type)return n;if(r>(p?1:0)){for(a=n-1;a>=0;a--)if((d=t[a])&&!(2&d.__u)&&i==d.key&&u==d.type)return a;for(a=n+1;a<t.length;a++)if((d=t[a])&&!(2&d.__u)&&i==d.key&&u==d.type)return a}return-1}function Dt(e,t,n){n==null&&(n=""),t[0]=="-"?e.setProperty(t,n):e[t]=n}function Te(e,t,n,r,a){var i,u;if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof r=="string"&&(e.style.cssText=r=""),r)for(t in r)n&&t in n||Dt(e.style,t);if(n)for(t in n)r&&n[t]==r[t]||Dt(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")typeof n!="function"&&(n=null),typeof r!="function"&&(r=null),(e.__e||(e.__e={}))[t]=n,n&&r||(u=et[t]||(et[t]=gs(t)),(e.__a||(e.__a={}))[t]=nt,i=t!=(t=t.replace(It,"$1")),(t=t.slice(2))[0]<"a"&&(t=t.toLowerCase()),n?e.addEventListener(t,u,i):e.removeEventListener(t,u,i));else{if(a=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{return void(e[t]=n??"")}catch{}if(typeof n=="function")return;n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n)}}function gs(e){return function(t){var n=this.__e;if(n){if(n=n[e],t[xe]==null)t[xe]=nt++;else if(t[xe]<this.__a[e])return;return n(P.event?P.event(t):t)}}}function ot(e,t,n,r,a,i,u,d,p,m){var l,g,y,c,f,h,_,R,A,T,S,z,x,Q,G,M,F,J,Y=t.type;if(t.constructor!==be)return null;128&n.__u&&(p=32&n.__u,l=n.__c.__z)&&(t.__u|=p,g=i=[],l.nodeType==8?d=Ce(l,i):i.push(l),d=i[0]||d),(l=P.__b)&&l(t);e:if(typeof Y=="function"){y=u.length;try{if(R=t.props,A=(l=Y.prototype)&&l.render,T=(l=Y.contextType)&&r[l.__c],S=l?T?T.props.value:l.__:r,(c=n.__c)?(t.__c=c,2&c.__g&&(c.__g|=1)):(A?t.__c=c=new Y(R,S):(t.__c=c=new De(R,S),c.constructor=Y,c.render=_s),T&&T.sub(c),c.state||(c.state={}),c.__n=r,c.__g|=8,c.__h=[],c.__k=[]),A&&(c.__s||(c.__s=c.state),Y.getDerivedStateFromProps&&(c.__s==c.state&&(c.__s=X({},c.__s)),X(c.__s,Y.getDerivedStateFromProps(R,c.__s)))),f=c.props,h=c.state,c.__v=t,n.__c){if(R!==f&&A&&!Y.getDerivedStateFromProps&&c.componentWillReceiveProps&&c.componentWillReceiveProps(R,S),t.__v==n.__v&&!(8&c.__g)||!(4&c.__g)&&c.shouldComponentUpdate&&c.shouldComponentUpdate(R,c.__s,S)===!1){t.__v!=n.__v&&(c.props=R,c.state=c.__s,c.__g&=-9),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(q){q&&(q.__=t)}),Ne.push.apply(c.__h,c.__k),c.__k=[],c.__h.length&&u.push(c),d=ee(n);break e}c.componentWillUpdate&&c.componentWillUpdate(R,c.__s,S),A&&c.componentDidUpdate&&c.__h.push(function(){c.componentDidUpdate(f,h,_)})}else A&&!Y.getDerivedStateFromProps&&c.componentWillMount&&c.componentWillMount(),A&&c.componentDidMount&&c.__h.push(c.componentDidMount);c.context=S,c.props=R,c.__P=e,c.__g&=-5,z=P.__r,x=A?25:0;do c.__g&=-9,z&&z(t),l=c.render(c.props,c.state=c.__s,c.context);while(8&c.__g&&++x<25);A&&(Ne.push.apply(c.__h,c.__k),c.__k=[]),c.state=c.__s,c.getChildContext&&(r=X({},r,c.getChildContext())),A&&n.__c&&c.getSnapshotBeforeUpdate&&(_=c.getSnapshotBeforeUpdate(f,h)),Q=l&&l.type===w&&l.key==null?l.props.children:l,R.__P&&(l=d,a=(e=R.__P).namespaceURI,p=i=null,n.props&&n.props.__P!=e&&(n.__k.some(function(q){q&&at(q,q)}),n.__k=null),d=n.__k?ee(n,0):null),d=Ot(e,Me(Q)?Q:[Q],t,n,r,a,i,u,d,p,m),R.__P&&(t.__e=null,d=l),t.__u&=-161,g&&g.some(re),c.__h.length&&u.push(c),1&c.__g&&(c.__g&=-4)}catch(q){if(u.length=y,t.__v=null,p||i)if(q&&q.then){if(t.__u|=128|p,i){for(~(F=i.indexOf(d||void 0))||(F=i.length);(J=i[F-1])&&J.nodeType==8;)F--;for(;F<i.length;F++)if(J=i[F])if(i[F]=null,G){if(J==M)break}else{if(J.nodeType!=8)break;J.data.startsWith("$s")&&(M=Ce(G=J))}}if(!G){for(;d&&d.nodeType==8&&d.nextSibling;)d=d.nextSibling;G=d}(l=Ce(G=t.__c.__z||(t.__c.__z=G)))?(t.__e=G,d=l):t.__e=d,d=d&&d.nextSibling}else i&&i.some(re);else t.__e=n.__e;t.__k||(t.__k=n.__k||[]),q&&q.then||$t(t),P.__e(q,t,n)}}else d=t.__e=ys(n.__e,t,n,r,a,i,u,p,m,e);return(l=P.diffed)&&l(t),d}function Ce(e,t){if(e&&e.nodeType==8&&e.data.startsWith("$s"))for(var n=1;e=e.nextSibling;){if(e.nodeType==8){if(e.data.startsWith("$s"))n++;else if(e.data.startsWith("/$s")&&!--n)return e}t&&t.push(e)}}function $t(e){e&&(e.__c&&(e.__c.__g|=4),e.__k&&e.__k.some($t))}function Ft(e,t,n){for(var r=0;r<n.length;)it(n[r++],n[r++],n[r++]);P.__c&&P.__c(t,e),e.some(function(a){try{e=a.__h,a.__h=[],e.some(function(i){i.call(a)})}catch(i){P.__e(i,a.__v)}})}function ys(e,t,n,r,a,i,u,d,p,m){var l,g,y,c,f,h,_,R,A=n.props||Ie,T=t.props,S=t.type;if(S=="svg"?a="http://www.w3.org/2000/svg":S=="math"?a="http://www.w3.org/1998/Math/MathML":a||(a="http://www.w3.org/1999/xhtml"),i){for(l=0;l<i.length;l++)if((f=i[l])&&(S?f.localName==S:f.nodeType==3)){e=f,i[l]=null;break}}if(!e){if(R=m.ownerDocument||document,!S)return R.createTextNode(T);e=R.createElementNS(a,S,T.is?T:m),d&&(P.__m&&P.__m(t,i),d=!1),i=null}if(S){if(m=S=="template"&&e.content||e,i=S=="textarea"&&T.defaultValue!=null?null:i&&Le.call(m.childNodes),!d&&i)for(A={},l=0;l<e.attributes.length;l++)A[(f=e.attributes[l]).name]=f.value;for(l in A)f=A[l],l=="dangerouslySetInnerHTML"?y=f:l=="children"||l in T||l=="value"&&"defaultValue"in T||l=="checked"&&"defaultChecked"in T||Te(e,l,null,f,a);for(l in T)f=T[l],l=="children"?c=f:l=="dangerouslySetInnerHTML"?g=f:l=="value"?h=f:l=="checked"?_=f:d&&typeof f!="function"||A[l]===f||Te(e,l,f,A[l],a);g?(d||y&&(g.__html==y.__html||g.__html==e.innerHTML)||(e.innerHTML=g.__html),t.__k=[]):(y&&(e.textContent=""),(S=="foreignObject"||a=="http://www.w3.org/1998/Math/MathML"&&cs.test(S))&&(a="http://www.w3.org/1999/xhtml"),Ot(m,Me(c)?c:[c],t,n,r,a,i,u,i?i[0]:n.__k&&ee(n,0),d,p),i&&i.some(re)),d&&S!="textarea"||(l="value",S=="progress"&&h==null?e.removeAttribute(l):h==null||h===e[l]&&(S!="progress"||h)||Te(e,l,h,A[l],a),l="checked",_!=null&&_!=e[l]&&Te(e,l,_,A[l],a))}else A===T||d&&e.data==T||(e.data=T);return e}function it(e,t,n,r){try{typeof e=="function"?t?t.__x=e(t)||1:r&&(r=r.__c||r.__e)&&(t=r.__x)&&(r.__x=null,typeof t=="function"?t():e(null)):e.current=t}catch(a){P.__e(a,n)}}function at(e,t,n){var r,a,i,u;if(P.unmount&&P.unmount(e),!(r=e.ref)||r.current&&r.current!=e.__e||it(r,null,t,e),r=e.__c){if(r.componentWillUnmount)try{r.componentWillUnmount()}catch(d){P.__e(d,t)}r.__P=r.__n=null}if(r=e.__k)for(u=0;u<r.length;u++)r[u]&&at(r[u],t,typeof e.type!="function"||n&&!e.props.__P);!n&&(r=e.__c)&&(r=r.__z)&&(a=Ce(r,i=[]))&&(r==e.__e&&i.some(re),re(a),re(r)),n||re(e.__e),e.__e=e.__c=e.__=null}function _s(e,t,n){return this.constructor(e,n)}function Kt(e,t){var n,r,a,i;P.__&&P.__(e,t),t.nodeType==9&&(t=t.documentElement),r=(n=e&&32&e.__u)?null:t.__k,t.__k=ce(w,{children:[e]}),a=[],i=[],ot(t,t.__k,r||Ie,Ie,t.namespaceURI,r?null:t.firstChild?Le.call(t.childNodes):null,a,r?r.__e:t.firstChild,n,i),Ft(a,t.__k,i),t.__k.props.children=null}function lt(e){function t(n){var r,a;return this.getChildContext||(r=new Set,(a={})[t.__c]=this,this.getChildContext=function(){return a},this.shouldComponentUpdate=function(i){this.props.value!=i.value&&r.forEach(function(u){u.__g|=4,tt(u)})},this.sub=function(i){r.add(i);var u=i.componentWillUnmount;i.componentWillUnmount=function(){r.delete(i),u&&u.call(i)}}),n.children}return t.__c="__cC"+Nt++,t.__=e,t.Provider=(t.Consumer=function(n,r){return n.children(r)}).contextType=t,t}var P,Ct,ds,Z,Xe,Ue,Ut,xe,It,nt,et,Nt,be,Ie,Ne,cs,Me,Le,X,pe=us(()=>{be=Symbol.for("pv"),Ie={},Ne=[],cs=/^m(i|n|o|s|text|space)$/,Me=Array.isArray,Le=Ne.slice,X=Object.assign;P={__e:function(e,t,n,r){for(var a,i,u;t=t.__;)if((a=t.__c)&&!(1&a.__g)){a.__g|=4;try{if((u=(i=a.constructor)&&i.getDerivedStateFromError)&&a.setState(i.getDerivedStateFromError(e)),a.componentDidCatch&&(a.componentDidCatch(e,r||{}),u=1),u&&8&a.__g)return void(a.__g|=2)}catch(d){e=d}}throw Ue=0,e}},Ct=0,ds=function(e){return e!=null&&e.constructor===be},De.prototype.setState=function(e,t){var n=this.__s;n&&n!=this.state||(n=this.__s=X({},this.state)),typeof e=="function"&&(e=e(X({},n),this.props)),e&&(X(n,e),this.__v&&(t&&this.__k.push(t),tt(this)))},De.prototype.forceUpdate=function(e){this.__v&&(this.__g|=4,e&&this.__h.push(e),tt(this))},De.prototype.render=w,Z=[],Ue=0,Ut=function(e,t){return e.__v.__b-t.__v.__b},xe=Symbol(),It=/(PointerCapture)$|Capture$/i,nt=0,et={},Nt=0});pe();pe();var te,D,ut,Ht,dt=Object.is,ve=0,zt=[],ct=[],U=P,Bt=U.__b,qt=U.__r,jt=U.diffed,Wt=U.__c,Qt=U.unmount,Gt=U.__;function me(e,t){U.__h&&U.__h(D,e,ve||t),ve=0;var n=D.__H||(D.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function k(e){return ve=1,Oe(Xt,e)}function Oe(e,t,n){var r=me(te++,2);if(r.t=e,!r.__c&&(r.__=[n?n(t):Xt(void 0,t),function(i){var u=(r.__N||r.__)[0],d=r.t(u,i);dt(u,d)||(r.__N=[d,r.__[1]],r.__c.setState({}))}],r.__c=D,!D.__f)){D.__f=!0;var a=D.shouldComponentUpdate;D.shouldComponentUpdate=function(i,u,d){var p=this.__H;if(!p)return!0;var m=!1,l=this.props!=i;if(p.__.some(function(y){y.__N&&(m=!0,dt(y.__[0],y.__N[0])||(l=!0))}),a){var g=a.call(this,i,u,d);return m?g||l:g}return!m||l}}return r.__}function ne(e,t){var n=me(te++,3);!U.__s&&ft(n.__H,t)&&(n.__P=!0,n.__=e,n.u=t,D.__H.__h.push(n))}function mt(e,t){var n=me(te++,4);!U.__s&&ft(n.__H,t)&&(n.__P=!1,n.__=e,n.u=t,D.__h.push(n))}function K(e){return ve=5,Ae(function(){return{current:e}},[])}function Ae(e,t){var n=me(te++,7);return ft(n.__H,t)&&(n.__=e(),n.__H=t),n.__}function Zt(e,t){return ve=8,Ae(function(){return e},t)}function Ve(e){var t=D.context[e.__c],n=me(te++,9);return n.c=e,t?(n.__==null&&(n.__=!0,t.sub(D)),t.props.value):e.__}function ie(){var e=me(te++,11);if(!e.__){for(var t=D.__v;!t.__m&&t.__;)t=t.__;var n=t.__m||(t.__m=[0,0]);e.__="P"+n[0]+"-"+n[1]++}return e.__}function hs(){var e;do{for(;e=ct.shift();)try{ke(e)}catch(n){U.__e(n,{__:(e=e.__P)&&e.__v})}for(;e=zt.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(ke),t.__h.some(pt),t.__h=[]}catch(n){t.__h=[],U.__e(n,e.__v)}}}while(ct.length)}U.__b=function(e){D=null,Bt&&Bt(e)},U.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),Gt&&Gt(e,t)},U.__r=function(e){qt&&qt(e),te=0;var t=(D=e.__c).__H;t&&(ut==D?D.__h=[]:(t.__h.some(ke),t.__h.some(pt),te=0),t.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})),ut=D},U.diffed=function(e){jt&&jt(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&Yt(zt.push(t)),t.__H.__.some(function(n){n.u&&(n.__H=n.u)})),ut=D=null},U.__c=function(e,t){t.some(function(n){try{n.__h.some(ke),n.__h=n.__h.filter(function(r){return!r.__||pt(r)})}catch(r){n.__h=[function(){throw r}]}}),Wt&&Wt(e,t)},U.unmount=function(e){Qt&&Qt(e);var t,n,r=e.__c;r&&r.__H&&(r.__H.__.some(function(a){try{if(a.__P&&a.__c){if(n===void 0){for(n=e.__;n&&(!n.__c||!n.__c.__P);)n=n.__;n=n&&n.__c}a.__P=n,Yt(ct.push(a))}else ke(a)}catch(i){t=i}}),r.__H=void 0,t&&U.__e(t,r.__v))};var Jt=typeof requestAnimationFrame=="function";function bs(e){var t,n=function(){clearTimeout(r),Jt&&cancelAnimationFrame(t),setTimeout(e)},r=setTimeout(n,35);Jt&&(t=requestAnimationFrame(n))}function Yt(e){e!=1&&Ht==U.requestAnimationFrame||((Ht=U.requestAnimationFrame)||bs)(hs)}function ke(e){var t=D,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),D=t}function pt(e){var t=D;e.__c=e.__(),D=t}function ft(e,t){return!e||e.length!=t.length||t.some(function(n,r){return!dt(n,e[r])})}function Xt(e,t){return typeof t=="function"?t(e):t}pe();var fe,we;function ks(e){return!we||(typeof we=="string"?e.startsWith(we):we.test(e))}function vs(e,t){let n="";if(fe=void 0,t&&t.type==="click"){if(t.ctrlKey||t.metaKey||t.altKey||t.shiftKey||t.button!==0)return e;let r=t.composedPath().find(i=>i.nodeName=="A"&&i.href),a=r&&r.getAttribute("href");if(!r||r.origin!=location.origin||/^#/.test(a)||!/^(_?self)?$/i.test(r.target)||!ks(a)||r.download)return e;fe=!0,t.preventDefault(),n=r.href.replace(location.origin,"")}else t&&t.url?(fe=!t.replace,n=t.url):n=location.pathname+location.search;return fe===!0?history.pushState(null,"",n):fe===!1&&history.replaceState(null,"",n),n}var As=(e,t,n={})=>{e=e.split("/").filter(Boolean),t=(t||"").split("/").filter(Boolean),n.params||(n.params={});for(let r=0,a,i;r<Math.max(e.length,t.length);r++){let[,u,d,p]=(t[r]||"").match(/^(:?)(.*?)([+*?]?)$/);if(a=e[r],!(!u&&d==a)){if(!u&&a&&p=="*"){n.rest="/"+e.slice(r).join("/");break}if(!u||!a&&p!="?"&&p!="*")return;if(i=p=="+"||p=="*",i?a=e.slice(r).map(decodeURIComponent).join("/")||void 0:a&&(a=decodeURIComponent(a)),n.params[d]=a,d in n||(n[d]=a),i)break}}return n};function ae(e){let[t,n]=Oe(vs,e.url||location.pathname+location.search);e.scope&&(we=e.scope);let r=fe===!0,a=Ae(()=>{let i=new URL(t,location.origin),u=i.pathname.replace(/\/+$/g,"")||"/";return{url:t,path:u,query:Object.fromEntries(i.searchParams),route:(d,p)=>n({url:d,replace:p}),back:()=>{history.back()},forward:()=>{history.forward()},wasPush:r}},[t]);return mt(()=>(addEventListener("click",n),addEventListener("popstate",n),()=>{removeEventListener("click",n),removeEventListener("popstate",n)}),[]),oe(ae.ctx.Provider,{value:a},e.children)}var ws=Promise.resolve();function Ke(e){let[t,n]=Oe(M=>M+1,0),{url:r,query:a,wasPush:i,path:u}=$();if(!r)throw new Error("preact-iso's <Router> must be used within a <LocationProvider>, see: https://github.com/preactjs/preact-iso#locationprovider");let{rest:d=u,params:p={}}=Ve(yt),m=K(!1),l=K(u),g=K(1),y=K(),c=K(),f=K(),h=K(!1),_=K();_.current=!1;let R,A,T;rt(e.children).some(M=>{if(As(d,M.props.path,T={...M.props,path:d,query:a,params:Object.assign({},p),rest:""}))return R=st(M,T);M.props.default&&(A=st(M,T))});let S=R||A,z=y.current&&y.current.__u&$e&&y.current.__u&Fe,x=y.current&&y.current.__h,Q=Ae(()=>{c.current=y.current,y.current=oe(yt.Provider,{value:T},S);let M=c.current&&c.current.props.children;return!M||!S||S.type!==M.type||S.props.component!==M.props.component?(g.current++,!0):!1},[r,JSON.stringify(T)]);z?(y.current.__u|=$e,y.current.__u|=Fe):x&&(y.current.__h=!0);let G=c.current;return c.current=null,this.__c=(M,F)=>{_.current=!0,c.current=G,e.onLoadStart&&e.onLoadStart(r),m.current=!0;let J=g.current;M.then(()=>{J===g.current&&(c.current=null,y.current&&(F.__h&&(y.current.__h=F.__h),F.__u&Fe&&(y.current.__u|=Fe),F.__u&$e&&(y.current.__u|=$e)),ws.then(n))})},mt(()=>{let M=this.__v&&this.__v.__e;if(_.current){!h.current&&!f.current&&(f.current=M);return}!h.current&&f.current&&(f.current!==M&&f.current.remove(),f.current=null),h.current=!0,l.current!==u&&(i&&scrollTo(0,0),e.onRouteChange&&e.onRouteChange(r),l.current=u),e.onLoadEnd&&m.current&&e.onLoadEnd(r),m.current=!1},[u,i,t]),Q?[oe(gt,{r:y,key:g.current}),oe(gt,{r:c,key:g.current-1})]:oe(gt,{r:y,key:g.current})}var $e=32,Fe=128,gt=({r:e})=>e.current;Ke.Provider=ae;ae.ctx=lt({});var yt=lt({}),H=e=>oe(e.component,e),$=()=>Ve(ae.ctx),Re=()=>Ve(yt);var Rs={appName:"gerbang console",skipToContent:"Skip to content",nav:"Main",navUsers:"Users",navRoles:"Roles",navAudit:"Audit log",navAccount:"My account",signOut:"Sign out",signedInAs:e=>`Signed in as ${e}`,loading:"Loading\u2026",save:"Save",saved:"Saved.",cancel:"Cancel",delete:"Delete",confirm:"Confirm",create:"Create",revoke:"Revoke",remove:"Remove",yes:"Yes",no:"No",any:"Any",never:"Never",none:"None",previous:"Previous page",next:"Next page",forbidden:"You are not allowed to do this.",notFound:"Nothing here.",networkError:"gerbang cannot be reached. Check the connection and try again.",sessionExpired:"Your session ended. Please sign in again.",signInTitle:"Sign in",usernameOrEmail:"Username or email",password:"Password",signIn:"Sign in",signInWithPasskey:"Sign in with a passkey",secondStepTitle:"Second step",secondStepHelp:"Enter the code from your authenticator app, or one of your recovery codes.",code:"Code",verify:"Verify",backToSignIn:"Back",tryAgainIn:e=>`Too many attempts. Try again in ${e} s.`,passkeyCancelled:"The passkey prompt was closed.",passkeyNeedsDomain:e=>`Passkeys need the console opened at a domain name, such as ${e}, not at an IP address.`,usersTitle:"Users",search:"Search",searchPlaceholder:"Email, username or name",role:"Role",status:"Status",active:"Active",inactive:"Inactive",sortBy:"Sort by",sortNewest:"Newest first",sortOldest:"Oldest first",sortEmail:"Email A\u2013Z",sortUsername:"Username A\u2013Z",sortName:"Name A\u2013Z",usersCount:e=>e===1?"1 user":`${e} users`,newUser:"New user",email:"Email",username:"Username",displayName:"Display name",firstName:"First name",lastName:"Last name",phoneNumber:"Phone number",address:"Address",avatarUrl:"Avatar URL",locale:"Language of mails",localeHelp:"en or id; empty: the language of the browser that asks for a mail",roles:"Roles",created:"Created",lastLogin:"Last sign-in",emailVerified:"Email verified",profile:"Profile",clearHint:"An emptied field is cleared.",activate:"Activate",deactivate:"Deactivate",accountActive:"This account is active.",accountInactive:"This account is deactivated: it cannot sign in.",saveRoles:"Save roles",setPassword:"Set password",newPassword:"New password",passwordSet:"Password set; every session of this user ended.",sessions:"Sessions",noSessions:"No live sessions.",device:"Device",ipAddress:"IP address",lastUsed:"Last used",expires:"Expires",thisSession:"this session",revokeAll:"Revoke all sessions",sessionsEnded:e=>e===1?"1 session ended.":`${e} sessions ended.`,mfa:"Multi-factor sign-in",mfaNone:"No second factor and no passkey.",mfaReset:"Reset multi-factor sign-in",mfaResetDone:"Second factors and passkeys removed.",confirmMfaReset:"Remove this user\u2019s authenticator app, recovery codes and passkeys?",deleteUser:"Delete user",confirmDeleteUser:e=>`Delete ${e}? This cannot be undone.`,createUserTitle:"New user",passwordOptional:"Password (optional: without one the account cannot sign in yet)",whyNotForSelfActive:"You cannot deactivate yourself: another administrator can.",whyNotForSelfRoles:"Your own roles are changed by another administrator, not by you.",whyOutOfReach:"This user holds permissions you do not have: you can look, not change.",rolesTitle:"Roles",newRole:"New role",name:"Name",roleCode:"Code",description:"Description",permissions:"Permissions",appPermissions:"Application permissions",appPermissionsHelp:"One per line, e.g. invoice:write",system:"system",members:"Members",memberCount:e=>e===1?"1 member":`${e} members`,noMembers:"No members.",createdBy:"Created by",deleteRole:"Delete role",confirmDeleteRole:e=>`Delete the role ${e}? Its members lose it.`,createRoleTitle:"New role",whySystemRoleName:"A system role keeps its name.",whySystemRoleDelete:"A system role cannot be deleted.",whyRoleNotHeld:"This role holds permissions you do not have: you can look, not change.",whyRoleNotHeldDelete:"This role holds application permissions you do not have: only someone who has them can delete it.",whyRoleNotHeldGiven:"A role holding permissions you do not have can be given or taken away only by someone who has them.",accountTitle:"My account",changePassword:"Change password",currentPassword:"Current password",presenceHelp:"Needed unless you signed in a short while ago.",presenceRequired:"You signed in a while ago: enter your current password to confirm it is you.",passwordChanged:"Password changed; your other sessions ended.",revokeOthers:"Sign out everywhere else",totp:"Authenticator app",totpOn:"An authenticator app is set up.",totpOff:"No authenticator app is set up.",totpBegin:"Set up an authenticator app",totpScan:"Scan this code with the app, or enter the key by hand, then type the code it shows.",totpQr:"QR code for the authenticator app",totpKey:"Key",totpConfirm:"Turn on",recoveryCodes:"Recovery codes",recoveryCodesHelp:"Each works once, in place of a code. Keep them somewhere safe: they are not shown again.",recoveryCodesRegenerate:"New recovery codes",totpDisable:"Turn off",passkeys:"Passkeys",noPasskeys:"No passkeys.",passkeyName:"Passkey name",addPasskey:"Add a passkey",passkeyAdded:"Passkey added.",apiKeys:"API keys",noApiKeys:"No API keys.",keyName:"Key name",expiresAt:"Expires (optional)",createKey:"Create key",keySecret:"The key\u2019s secret, shown once: copy it now.",prefix:"Starts with",auditTitle:"Audit log",action:"Action",actorId:"Actor (user id)",subjectUserId:"About user (user id)",since:"From",until:"Until",filter:"Filter",at:"When",actor:"Actor",subject:"Subject",details:"Details",eventsCount:e=>e===1?"1 event":`${e} events`,noEvents:"No events.",anonymousActor:"anonymous",permissionNames:{USER_READ:"Read users",USER_WRITE:"Change users",ROLE_READ:"Read roles",ROLE_WRITE:"Change roles",AUDIT_READ:"Read the audit log"}},Ss={appName:"konsol gerbang",skipToContent:"Langsung ke isi",nav:"Utama",navUsers:"Pengguna",navRoles:"Peran",navAudit:"Log audit",navAccount:"Akun saya",signOut:"Keluar",signedInAs:e=>`Masuk sebagai ${e}`,loading:"Memuat\u2026",save:"Simpan",saved:"Tersimpan.",cancel:"Batal",delete:"Hapus",confirm:"Konfirmasi",create:"Buat",revoke:"Cabut",remove:"Lepas",yes:"Ya",no:"Tidak",any:"Semua",never:"Tidak pernah",none:"Tidak ada",previous:"Halaman sebelumnya",next:"Halaman berikutnya",forbidden:"Anda tidak diizinkan melakukan ini.",notFound:"Tidak ada apa-apa di sini.",networkError:"gerbang tidak dapat dihubungi. Periksa koneksi lalu coba lagi.",sessionExpired:"Sesi Anda berakhir. Silakan masuk lagi.",signInTitle:"Masuk",usernameOrEmail:"Nama pengguna atau email",password:"Kata sandi",signIn:"Masuk",signInWithPasskey:"Masuk dengan passkey",secondStepTitle:"Langkah kedua",secondStepHelp:"Masukkan kode dari aplikasi autentikator, atau salah satu kode pemulihan Anda.",code:"Kode",verify:"Verifikasi",backToSignIn:"Kembali",tryAgainIn:e=>`Terlalu banyak percobaan. Coba lagi dalam ${e} detik.`,passkeyCancelled:"Jendela passkey ditutup.",passkeyNeedsDomain:e=>`Passkey memerlukan konsol yang dibuka di nama domain, seperti ${e}, bukan di alamat IP.`,usersTitle:"Pengguna",search:"Cari",searchPlaceholder:"Email, nama pengguna atau nama",role:"Peran",status:"Status",active:"Aktif",inactive:"Nonaktif",sortBy:"Urutkan",sortNewest:"Terbaru dulu",sortOldest:"Terlama dulu",sortEmail:"Email A\u2013Z",sortUsername:"Nama pengguna A\u2013Z",sortName:"Nama A\u2013Z",usersCount:e=>`${e} pengguna`,newUser:"Pengguna baru",email:"Email",username:"Nama pengguna",displayName:"Nama tampilan",firstName:"Nama depan",lastName:"Nama belakang",phoneNumber:"Nomor telepon",address:"Alamat",avatarUrl:"URL avatar",locale:"Bahasa email",localeHelp:"en atau id; kosong: bahasa peramban yang meminta email",roles:"Peran",created:"Dibuat",lastLogin:"Terakhir masuk",emailVerified:"Email terverifikasi",profile:"Profil",clearHint:"Kolom yang dikosongkan akan dihapus isinya.",activate:"Aktifkan",deactivate:"Nonaktifkan",accountActive:"Akun ini aktif.",accountInactive:"Akun ini dinonaktifkan: tidak dapat masuk.",saveRoles:"Simpan peran",setPassword:"Atur kata sandi",newPassword:"Kata sandi baru",passwordSet:"Kata sandi diatur; semua sesi pengguna ini berakhir.",sessions:"Sesi",noSessions:"Tidak ada sesi aktif.",device:"Perangkat",ipAddress:"Alamat IP",lastUsed:"Terakhir dipakai",expires:"Berakhir",thisSession:"sesi ini",revokeAll:"Cabut semua sesi",sessionsEnded:e=>`${e} sesi berakhir.`,mfa:"Masuk multi-faktor",mfaNone:"Tidak ada faktor kedua dan tidak ada passkey.",mfaReset:"Atur ulang masuk multi-faktor",mfaResetDone:"Faktor kedua dan passkey dihapus.",confirmMfaReset:"Hapus aplikasi autentikator, kode pemulihan, dan passkey pengguna ini?",deleteUser:"Hapus pengguna",confirmDeleteUser:e=>`Hapus ${e}? Ini tidak dapat dibatalkan.`,createUserTitle:"Pengguna baru",passwordOptional:"Kata sandi (opsional: tanpanya akun belum dapat masuk)",whyNotForSelfActive:"Anda tidak dapat menonaktifkan diri sendiri: administrator lain dapat.",whyNotForSelfRoles:"Peran Anda sendiri diubah oleh administrator lain, bukan oleh Anda.",whyOutOfReach:"Pengguna ini memiliki izin yang tidak Anda miliki: Anda dapat melihat, tidak dapat mengubah.",rolesTitle:"Peran",newRole:"Peran baru",name:"Nama",roleCode:"Kode",description:"Deskripsi",permissions:"Izin",appPermissions:"Izin aplikasi",appPermissionsHelp:"Satu per baris, mis. invoice:write",system:"sistem",members:"Anggota",memberCount:e=>`${e} anggota`,noMembers:"Tidak ada anggota.",createdBy:"Dibuat oleh",deleteRole:"Hapus peran",confirmDeleteRole:e=>`Hapus peran ${e}? Anggotanya kehilangan peran ini.`,createRoleTitle:"Peran baru",whySystemRoleName:"Peran sistem tetap memakai namanya.",whySystemRoleDelete:"Peran sistem tidak dapat dihapus.",whyRoleNotHeld:"Peran ini memiliki izin yang tidak Anda miliki: Anda dapat melihat, tidak dapat mengubah.",whyRoleNotHeldDelete:"Peran ini memiliki izin aplikasi yang tidak Anda miliki: hanya yang memilikinya dapat menghapusnya.",whyRoleNotHeldGiven:"Peran yang memiliki izin yang tidak Anda miliki hanya dapat diberikan atau dicabut oleh yang memilikinya.",accountTitle:"Akun saya",changePassword:"Ganti kata sandi",currentPassword:"Kata sandi saat ini",presenceHelp:"Diperlukan kecuali Anda baru saja masuk.",presenceRequired:"Anda masuk sudah cukup lama: masukkan kata sandi saat ini untuk memastikan ini Anda.",passwordChanged:"Kata sandi diganti; sesi Anda yang lain berakhir.",revokeOthers:"Keluar dari semua perangkat lain",totp:"Aplikasi autentikator",totpOn:"Aplikasi autentikator sudah diatur.",totpOff:"Belum ada aplikasi autentikator.",totpBegin:"Atur aplikasi autentikator",totpScan:"Pindai kode ini dengan aplikasi, atau ketik kuncinya, lalu masukkan kode yang ditampilkan.",totpQr:"Kode QR untuk aplikasi autentikator",totpKey:"Kunci",totpConfirm:"Aktifkan",recoveryCodes:"Kode pemulihan",recoveryCodesHelp:"Masing-masing berlaku sekali, sebagai pengganti kode. Simpan di tempat aman: tidak ditampilkan lagi.",recoveryCodesRegenerate:"Kode pemulihan baru",totpDisable:"Matikan",passkeys:"Passkey",noPasskeys:"Tidak ada passkey.",passkeyName:"Nama passkey",addPasskey:"Tambah passkey",passkeyAdded:"Passkey ditambahkan.",apiKeys:"Kunci API",noApiKeys:"Tidak ada kunci API.",keyName:"Nama kunci",expiresAt:"Berakhir (opsional)",createKey:"Buat kunci",keySecret:"Rahasia kunci, ditampilkan sekali: salin sekarang.",prefix:"Diawali",auditTitle:"Log audit",action:"Tindakan",actorId:"Pelaku (id pengguna)",subjectUserId:"Tentang pengguna (id pengguna)",since:"Dari",until:"Sampai",filter:"Saring",at:"Waktu",actor:"Pelaku",subject:"Subjek",details:"Rincian",eventsCount:e=>`${e} peristiwa`,noEvents:"Tidak ada peristiwa.",anonymousActor:"anonim",permissionNames:{USER_READ:"Membaca pengguna",USER_WRITE:"Mengubah pengguna",ROLE_READ:"Membaca peran",ROLE_WRITE:"Mengubah peran",AUDIT_READ:"Membaca log audit"}};function Es(e){for(let t of e){let n=t.toLowerCase().split("-")[0];if(n==="id"||n==="en")return n}return"en"}var He=Es(navigator.languages?.length?navigator.languages:[navigator.language]),o=He==="id"?Ss:Rs,Ps=new Intl.DateTimeFormat(He==="id"?"id-ID":"en-GB",{dateStyle:"medium",timeStyle:"short"});function O(e){return e?Ps.format(new Date(e)):o.never}var V=class extends Error{code;extensions;constructor(t){super(t.message),this.extensions=t.extensions??{},this.code=this.extensions.code??"INTERNAL_SERVER_ERROR"}get fields(){return this.code==="BAD_USER_INPUT"?this.extensions.fields??{}:{}}get reason(){return this.code==="FORBIDDEN"?this.extensions.reason:void 0}},Be={token:()=>null,renew:async()=>!1};function en(e){Be=e}async function _t(e,t,n){let r={"content-type":"application/json",accept:"application/graphql-response+json"};n&&(r.authorization=`Bearer ${n}`);let a;try{a=await fetch("/graphql",{method:"POST",headers:r,body:JSON.stringify({query:e.toString(),variables:t}),credentials:"omit"})}catch{throw new V({message:"",extensions:{code:"NETWORK"}})}let i;try{i=await a.json()}catch{throw new V({message:`HTTP ${a.status}`,extensions:{code:"INTERNAL_SERVER_ERROR"}})}let u=i.errors?.[0];if(u)throw new V(u);if(i.data==null)throw new V({message:`HTTP ${a.status}`});return i.data}async function b(e,t){let n=Be.token();try{return await _t(e,t,n)}catch(r){if(n&&r instanceof V&&r.code==="UNAUTHENTICATED"&&await Be.renew())return _t(e,t,Be.token());throw r}}function le(e,t){return _t(e,t,null)}var v=class extends String{__apiType;value;__meta__;constructor(t,n){super(t),this.value=t,this.__meta__=n}toString(){return this.value}},ar=new v(`
    fragment Tokens on AuthPayload {
  accessToken
  refreshToken
  expiresIn
}
    `,{fragmentName:"Tokens"}),lr=new v(`
    fragment RoleFields on Role {
  id
  name
  code
  description
  isSystem
  permissions
  appPermissions
  userCount
  createdAt
  updatedAt
}
    `,{fragmentName:"RoleFields"}),ur=new v(`
    fragment Profile on User {
  id
  username
  email
  displayName
  firstName
  lastName
  phoneNumber
  address
  avatarUrl
  isActive
  emailVerified
  locale
  createdAt
  updatedAt
  lastLoginAt
  roles {
    id
    name
  }
}
    `,{fragmentName:"Profile"}),dr=new v(`
    fragment SessionRow on Session {
  id
  current
  createdAt
  lastUsedAt
  expiresAt
  userAgent
  ipAddress
}
    `,{fragmentName:"SessionRow"}),tn=new v(`
    query MyAccount {
  me {
    ...Profile
    permissions
    appPermissions
    mfaMethods
    sessions {
      ...SessionRow
    }
    passkeys {
      id
      name
      createdAt
      lastUsedAt
    }
    apiKeys {
      id
      name
      prefix
      permissions
      appPermissions
      createdAt
      expiresAt
      lastUsedAt
    }
  }
}
    fragment Profile on User {
  id
  username
  email
  displayName
  firstName
  lastName
  phoneNumber
  address
  avatarUrl
  isActive
  emailVerified
  locale
  createdAt
  updatedAt
  lastLoginAt
  roles {
    id
    name
  }
}
fragment SessionRow on Session {
  id
  current
  createdAt
  lastUsedAt
  expiresAt
  userAgent
  ipAddress
}`),nn=new v(`
    mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
}
    `),sn=new v(`
    mutation RevokeOtherSessions {
  revokeOtherSessions
}
    `),rn=new v(`
    mutation BeginTotpEnrollment($currentPassword: String) {
  beginTotpEnrollment(currentPassword: $currentPassword) {
    secret
    otpauthUri
    qrSvg
  }
}
    `),on=new v(`
    mutation ConfirmTotpEnrollment($code: String!) {
  confirmTotpEnrollment(code: $code)
}
    `),an=new v(`
    mutation DisableTotp($currentPassword: String!) {
  disableTotp(currentPassword: $currentPassword)
}
    `),ln=new v(`
    mutation RegenerateRecoveryCodes($currentPassword: String!) {
  regenerateRecoveryCodes(currentPassword: $currentPassword)
}
    `),un=new v(`
    mutation BeginPasskeyRegistration($currentPassword: String) {
  beginPasskeyRegistration(currentPassword: $currentPassword) {
    challengeId
    options
  }
}
    `),dn=new v(`
    mutation FinishPasskeyRegistration($challengeId: String!, $name: String!, $credential: JSON!) {
  finishPasskeyRegistration(
    challengeId: $challengeId
    name: $name
    credential: $credential
  ) {
    id
  }
}
    `),cn=new v(`
    mutation RemovePasskey($id: ID!) {
  removePasskey(id: $id)
}
    `),pn=new v(`
    mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    secret
    apiKey {
      id
    }
  }
}
    `),mn=new v(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id)
}
    `),fn=new v(`
    query AuditEvents($first: Int, $after: String, $last: Int, $before: String, $filter: AuditFilter) {
  auditEvents(
    first: $first
    after: $after
    last: $last
    before: $before
    filter: $filter
  ) {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
    nodes {
      id
      at
      action
      actorId
      actor {
        id
        email
        displayName
      }
      subjectUserId
      subjectRoleId
      ipAddress
      userAgent
      details
    }
  }
}
    `),gn=new v(`
    mutation Login($input: LoginInput!) {
  login(input: $input) {
    ...Tokens
  }
}
    fragment Tokens on AuthPayload {
  accessToken
  refreshToken
  expiresIn
}`),yn=new v(`
    mutation CompleteLogin($mfaToken: String!, $code: String!) {
  completeLogin(mfaToken: $mfaToken, code: $code) {
    ...Tokens
  }
}
    fragment Tokens on AuthPayload {
  accessToken
  refreshToken
  expiresIn
}`),_n=new v(`
    mutation BeginPasskeyLogin($usernameOrEmail: String) {
  beginPasskeyLogin(usernameOrEmail: $usernameOrEmail) {
    challengeId
    options
  }
}
    `),hn=new v(`
    mutation FinishPasskeyLogin($challengeId: String!, $credential: JSON!) {
  finishPasskeyLogin(challengeId: $challengeId, credential: $credential) {
    ...Tokens
  }
}
    fragment Tokens on AuthPayload {
  accessToken
  refreshToken
  expiresIn
}`),bn=new v(`
    mutation Refresh($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) {
    ...Tokens
  }
}
    fragment Tokens on AuthPayload {
  accessToken
  refreshToken
  expiresIn
}`),kn=new v(`
    mutation Logout {
  logout
}
    `),ht=new v(`
    query Me {
  me {
    id
    username
    email
    displayName
    permissions
  }
}
    `),vn=new v(`
    query Roles {
  roles {
    ...RoleFields
  }
}
    fragment RoleFields on Role {
  id
  name
  code
  description
  isSystem
  permissions
  appPermissions
  userCount
  createdAt
  updatedAt
}`),An=new v(`
    query Role($id: ID!) {
  me {
    permissions
    appPermissions
  }
  role(id: $id) {
    ...RoleFields
    createdBy {
      id
      email
      displayName
    }
    users(first: 100) {
      totalCount
      nodes {
        id
        username
        email
        displayName
      }
    }
  }
}
    fragment RoleFields on Role {
  id
  name
  code
  description
  isSystem
  permissions
  appPermissions
  userCount
  createdAt
  updatedAt
}`),wn=new v(`
    mutation CreateRole($input: CreateRoleInput!) {
  createRole(input: $input) {
    id
  }
}
    `),Rn=new v(`
    mutation UpdateRole($id: ID!, $input: UpdateRoleInput!) {
  updateRole(id: $id, input: $input) {
    ...RoleFields
  }
}
    fragment RoleFields on Role {
  id
  name
  code
  description
  isSystem
  permissions
  appPermissions
  userCount
  createdAt
  updatedAt
}`),Sn=new v(`
    mutation DeleteRole($id: ID!) {
  deleteRole(id: $id)
}
    `),En=new v(`
    query Users($first: Int, $after: String, $last: Int, $before: String, $filter: UserFilter, $sort: UserSort) {
  users(
    first: $first
    after: $after
    last: $last
    before: $before
    filter: $filter
    sort: $sort
  ) {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      startCursor
      endCursor
    }
    nodes {
      id
      username
      email
      displayName
      isActive
      createdAt
      lastLoginAt
      roles {
        id
        name
      }
    }
  }
}
    `),Pn=new v(`
    query User($id: ID!) {
  me {
    id
    permissions
    appPermissions
  }
  user(id: $id) {
    ...Profile
    mfaMethods
    sessions {
      ...SessionRow
    }
  }
  roles {
    id
    name
    isSystem
    permissions
    appPermissions
  }
}
    fragment Profile on User {
  id
  username
  email
  displayName
  firstName
  lastName
  phoneNumber
  address
  avatarUrl
  isActive
  emailVerified
  locale
  createdAt
  updatedAt
  lastLoginAt
  roles {
    id
    name
  }
}
fragment SessionRow on Session {
  id
  current
  createdAt
  lastUsedAt
  expiresAt
  userAgent
  ipAddress
}`),qe=new v(`
    query RoleChoices {
  me {
    permissions
    appPermissions
  }
  roles {
    id
    name
    permissions
    appPermissions
  }
}
    `),Tn=new v(`
    mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) {
    id
  }
}
    `),Se=new v(`
    mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {
  updateUser(id: $id, input: $input) {
    ...Profile
  }
}
    fragment Profile on User {
  id
  username
  email
  displayName
  firstName
  lastName
  phoneNumber
  address
  avatarUrl
  isActive
  emailVerified
  locale
  createdAt
  updatedAt
  lastLoginAt
  roles {
    id
    name
  }
}`),xn=new v(`
    mutation SetUserPassword($id: ID!, $password: String!) {
  setUserPassword(id: $id, password: $password) {
    id
  }
}
    `),Dn=new v(`
    mutation DeleteUser($id: ID!) {
  deleteUser(id: $id)
}
    `),je=new v(`
    mutation RevokeSession($id: ID!) {
  revokeSession(id: $id)
}
    `),Cn=new v(`
    mutation RevokeUserSessions($userId: ID!) {
  revokeUserSessions(userId: $userId)
}
    `),Un=new v(`
    mutation ResetUserMfa($userId: ID!) {
  resetUserMfa(userId: $userId)
}
    `);var At="gerbang.console.refresh",We={status:"loading"},Qe=null,kt,bt=null,vt=new Set;function Ee(e){We=e;for(let t of vt)t()}function Ge(){return We}function In(e){return vt.add(e),()=>vt.delete(e)}function Nn(e){Qe=e.accessToken,sessionStorage.setItem(At,e.refreshToken),clearTimeout(kt);let t=Math.min(60,e.expiresIn/5);kt=setTimeout(()=>{Rt()},Math.max(1,e.expiresIn-t)*1e3)}function wt(){Qe=null,clearTimeout(kt),sessionStorage.removeItem(At)}async function Je(e){Nn(e);let{me:t}=await b(ht);Ee({status:"signedIn",me:t})}async function Ts(){let e=sessionStorage.getItem(At);if(!e)return!1;try{let{refreshToken:t}=await le(bn,{refreshToken:e});return Nn(t),!0}catch(t){return t instanceof V&&t.code!=="NETWORK"&&(wt(),Ee({status:"signedOut",reason:"expired"})),!1}}function Rt(){return bt??=Ts().finally(()=>{bt=null}),bt}function j(e){return We.status==="signedIn"&&We.me.permissions.includes(e)}function ue(e,t,n=!0){return t.every(r=>r.permissions.every(a=>e.permissions.includes(a))&&(!n||r.appPermissions.every(a=>e.appPermissions.includes(a))))}async function Mn(){try{Qe&&await b(kn)}catch{}finally{wt(),Ee({status:"signedOut"})}}async function Ln(){if(await Rt())try{let{me:e}=await b(ht);Ee({status:"signedIn",me:e});return}catch{wt()}Ee({status:"signedOut"})}en({token:()=>Qe,renew:Rt});var de=class extends Error{constructor(){super(o.passkeyNeedsDomain(Ds())),this.name="PasskeyUnusableError"}},xs=e=>/^\d{1,3}(\.\d{1,3}){3}$/.test(e)||e.startsWith("[");function Ds(){let{protocol:e,hostname:t,port:n}=location;return t==="127.0.0.1"||t==="[::1]"?`${e}//localhost${n?`:${n}`:""}/admin`:"http://localhost:8000/admin"}function Vn(){if(typeof PublicKeyCredential>"u")throw new de;return PublicKeyCredential}async function $n(e){try{let t=await e();return t?t.toJSON():null}catch(t){if(t instanceof DOMException&&t.name==="SecurityError")throw new de;if(t instanceof DOMException&&t.name==="NotAllowedError"){if(xs(location.hostname))throw new de;return null}throw t}}function Fn(e){let t=Vn().parseCreationOptionsFromJSON(e.publicKey);return $n(()=>navigator.credentials.create({publicKey:t}))}function Kn(e){let t=Vn().parseRequestOptionsFromJSON(e.publicKey);return $n(()=>navigator.credentials.get({publicKey:t}))}pe();pe();var Cs=Symbol.for("pv"),Us=0;function s(e,t,n,r,a,i){t||(t={});var u,d,p=t;if("ref"in p&&typeof e!="function")for(d in p={},t)d=="ref"?u=t[d]:p[d]=t[d];var m={type:e,props:p,key:n,ref:u,__k:null,__:null,__b:0,__e:null,__c:null,constructor:Cs,__v:--Us,__i:-1,__u:0};return(a||i)&&(m.__source=a,m.__self=i),P.vnode&&P.vnode(m),m}function Hn(e){return e instanceof V?e.code==="NETWORK"?o.networkError:e.code==="TOO_MANY_REQUESTS"&&typeof e.extensions.retryAfter=="number"?o.tryAgainIn(e.extensions.retryAfter):e.code==="FORBIDDEN"?e.message||o.forbidden:e.message:e instanceof de?e.message:String(e)}function I(){let[e,t]=k(!1),[n,r]=k(null),[a,i]=k({}),[u,d]=k(null),p=Zt(async m=>{t(!0),r(null),i({}),d(null);try{let l=await m();return l&&d(l),!0}catch(l){let g=l instanceof V&&l.reason==="RECENT_SIGN_IN_REQUIRED"?{currentPassword:[o.presenceRequired]}:l instanceof V?l.fields:{};return Object.keys(g).length>0?i(g):r(Hn(l)),!1}finally{t(!1)}},[]);return{busy:e,error:n,fields:a,notice:u,run:p,setError:r}}function C({error:e,notice:t}){return e?s("p",{class:"alert error",role:"alert",children:e}):t?s("p",{class:"alert notice",role:"status",children:t}):null}function Ye(e,t,n){return!t||!n?{title:void 0,describedBy:void 0,line:null}:typeof n!="string"?{title:n.text,describedBy:n.at,line:null}:{title:n,describedBy:`${e}-why`,line:s(ge,{id:`${e}-why`,text:n})}}function ge({id:e,text:t}){return s("p",{class:"hint why",id:e,children:t})}function E(e){let t=ie(),n=e.errors?.[e.name]??[],r=K(null),a=Ye(t,e.disabled,e.why),i=[e.help?`${t}-help`:"",a.describedBy??"",n.length?`${t}-err`:""].filter(Boolean).join(" ")||void 0,u=e.focusOnError&&n.length>0;ne(()=>{u&&r.current?.focus()},[u]);let d={id:t,ref:r,title:a.title,name:e.name,value:e.value,required:e.required,disabled:e.disabled,placeholder:e.placeholder,"aria-invalid":n.length>0?!0:void 0,"aria-describedby":i,onInput:p=>e.onValue(p.currentTarget.value)};return s("div",{class:"field",children:[s("label",{for:t,children:e.label}),e.multiline?s("textarea",{rows:3,...d}):s("input",{...d,type:e.type??"text",autocomplete:e.autocomplete}),e.help&&s("small",{id:`${t}-help`,children:e.help}),a.line,n.length>0&&s("ul",{class:"field-errors",id:`${t}-err`,children:n.map(p=>s("li",{children:p},p))})]})}function ye(e){let t=ie();return s("div",{class:"field",children:[s("label",{for:t,children:e.label}),s("select",{id:t,name:e.name,value:e.value,onChange:n=>e.onValue(n.currentTarget.value),children:e.options.map(([n,r])=>s("option",{value:n,children:r},n))})]})}function se(e){let t=ie(),n=e.name&&e.errors?.[e.name]||[],r=Ye(t,e.disabled,e.why),a=e.disabled?[]:e.fixed?.values??[];return s("fieldset",{class:"choices",disabled:e.disabled,title:r.title,"aria-describedby":r.describedBy,children:[s("legend",{children:e.legend}),r.line,e.choices.map(([i,u])=>s("label",{children:[s("input",{type:"checkbox",checked:e.chosen.includes(i),disabled:a.includes(i),title:a.includes(i)?e.fixed?.why:void 0,"aria-describedby":a.includes(i)?`${t}-fixed`:void 0,onChange:d=>e.onChosen(d.currentTarget.checked?[...e.chosen,i]:e.chosen.filter(p=>p!==i))}),u]},i)),a.length>0&&s(ge,{id:`${t}-fixed`,text:e.fixed?.why??""}),n.length>0&&s("ul",{class:"field-errors",role:"alert",children:n.map(i=>s("li",{children:i},i))})]})}function _e(e){let t=K(null),n=Ye(ie(),e.disabled,e.why);return s(w,{children:[s("button",{type:"button",class:e.danger?"danger":void 0,disabled:e.disabled,title:n.title,"aria-describedby":n.describedBy,onClick:()=>t.current?.showModal(),children:e.label}),n.line,s("dialog",{ref:t,"aria-label":e.label,children:s("form",{method:"dialog",children:[s("p",{children:e.question}),s("div",{class:"actions",children:[s("button",{value:"cancel",autofocus:!0,children:o.cancel}),s("button",{value:"confirm",class:e.danger?"danger":void 0,onClick:()=>{t.current?.close(),e.onConfirm()},children:o.confirm})]})]})})]})}function Bn(e){let t=Ye(ie(),e.disabled,e.why);return s(w,{children:[s("button",{type:e.type??"button",disabled:e.disabled,title:t.title,"aria-describedby":t.describedBy,onClick:e.onClick,children:e.label}),t.line]})}function L(e){let t=ie();return s("section",{"aria-labelledby":t,children:[s("h2",{id:t,children:e.title}),e.children]})}function B(e,t){let[n,r]=k(null),[a,i]=k(null),[u,d]=k(!0),[p,m]=k(0);return ne(()=>{let l=!0;return d(!0),e().then(g=>l&&(r(g),i(null))).catch(g=>l&&i(g)).finally(()=>l&&d(!1)),()=>{l=!1}},[t,p]),{data:n,error:a,loading:u,reload:()=>m(l=>l+1)}}function W({loaded:e}){if(e.error){let t=e.error instanceof V&&e.error.code==="FORBIDDEN";return s("p",{class:"alert error",role:"alert","data-code":t?"FORBIDDEN":void 0,children:Hn(e.error)})}return e.loading&&!e.data?s("p",{role:"status",children:o.loading}):null}function N({children:e}){let t=K(null);return ne(()=>{document.title=`${e} \xB7 ${o.appName}`,t.current?.focus()},[e]),s("h1",{tabIndex:-1,ref:t,children:e})}function Is(e){return s("button",{type:"button","aria-label":`${e.label}: ${e.of}`,disabled:e.disabled,onClick:e.onClick,children:e.label})}function he(e,t){let[n,r]=k(e),a=K(t);return ne(()=>{a.current!==t&&(a.current=t,r(e))},[t]),[n,r]}function Pe(e){if(e.rows.length===0)return s("p",{children:e.empty});let t=e.action;return s("table",{children:[s("thead",{children:s("tr",{children:[e.headers.map(n=>s("th",{scope:"col",children:n},n)),t&&s("th",{scope:"col",children:s("span",{class:"sr-only",children:t.label})})]})}),s("tbody",{children:e.rows.map(n=>s("tr",{children:[e.cells(n).map((r,a)=>s("td",{children:r},a)),t&&s("td",{children:s(Is,{label:t.label,of:t.name(n),disabled:t.disabled,onClick:()=>t.run(n)})})]},n.id))})]})}function qn({expired:e}){let[t,n]=k(""),[r,a]=k(""),[i,u]=k(null),[d,p]=k(""),m=I(),l=c=>{c.preventDefault(),m.run(async()=>{try{let{login:f}=await le(gn,{input:{usernameOrEmail:t,password:r}});await Je(f)}catch(f){if(f instanceof V&&f.extensions.mfaRequired&&typeof f.extensions.mfaToken=="string"){u(f.extensions.mfaToken),a("");return}throw f}})},g=c=>{c.preventDefault(),i&&m.run(async()=>{let{completeLogin:f}=await le(yn,{mfaToken:i,code:d});await Je(f)})},y=()=>{m.run(async()=>{let{beginPasskeyLogin:c}=await le(_n,{usernameOrEmail:t.trim()||null}),f=await Kn(c.options);if(!f)return o.passkeyCancelled;let{finishPasskeyLogin:h}=await le(hn,{challengeId:c.challengeId,credential:f});await Je(h)})};return i?s("main",{id:"main",class:"signin",children:[s(N,{children:o.secondStepTitle}),s("p",{children:o.secondStepHelp}),s("form",{onSubmit:g,children:[s(E,{label:o.code,name:"code",value:d,onValue:p,errors:m.fields,autocomplete:"one-time-code",required:!0}),s(C,{error:m.error}),s("div",{class:"actions",children:[s("button",{type:"submit",class:"primary",disabled:m.busy,children:o.verify}),s("button",{type:"button",onClick:()=>(u(null),p("")),children:o.backToSignIn})]})]})]}):s("main",{id:"main",class:"signin",children:[s(N,{children:o.signInTitle}),e&&s("p",{class:"alert notice",role:"status",children:o.sessionExpired}),s("form",{onSubmit:l,children:[s(E,{label:o.usernameOrEmail,name:"usernameOrEmail",value:t,onValue:n,errors:m.fields,autocomplete:"username webauthn",required:!0}),s(E,{label:o.password,name:"password",type:"password",value:r,onValue:a,errors:m.fields,autocomplete:"current-password",required:!0}),s(C,{error:m.error,notice:m.notice}),s("div",{class:"actions",children:[s("button",{type:"submit",class:"primary",disabled:m.busy,children:o.signIn}),"PublicKeyCredential"in window&&s("button",{type:"button",onClick:y,disabled:m.busy,children:o.signInWithPasskey})]})]})]})}var jn=20,St={newest:["CREATED_AT","DESC",o.sortNewest],oldest:["CREATED_AT","ASC",o.sortOldest],email:["EMAIL","ASC",o.sortEmail],username:["USERNAME","ASC",o.sortUsername],name:["DISPLAY_NAME","ASC",o.sortName]};function Ns(e){let[t,n]=St[e.sort??"newest"]??St.newest,r={search:e.q||null,roleId:e.role||null,isActive:e.active==="true"?!0:e.active==="false"?!1:null};return{...e.before?{last:jn,before:e.before}:{first:jn,after:e.after||null},filter:r,sort:{field:t,direction:n}}}function Wn(){let{query:e,path:t,route:n}=$(),[r,a]=k(e.q??""),i=Ns(e),u=B(()=>b(En,i),JSON.stringify(i)),d=B(()=>b(qe),"roles"),p=l=>{let g=new URLSearchParams,y={...e,after:void 0,before:void 0,...l};for(let[f,h]of Object.entries(y))h&&g.set(f,h);let c=g.toString();n(c?`${t}?${c}`:t)},m=u.data?.users;return s(w,{children:[s(N,{children:o.usersTitle}),j("USER_WRITE")&&s("p",{children:s("a",{class:"button primary",href:"/admin/users/new",children:o.newUser})}),s("form",{class:"filters",role:"search",onSubmit:l=>{l.preventDefault(),p({q:r.trim()||void 0})},children:[s(E,{label:o.search,name:"search",type:"search",value:r,onValue:a,placeholder:o.searchPlaceholder}),s("button",{type:"submit",children:o.search}),s(ye,{label:o.role,value:e.role??"",onValue:l=>p({role:l}),options:[["",o.any],...(d.data?.roles??[]).map(l=>[l.id,l.name])]}),s(ye,{label:o.status,value:e.active??"",onValue:l=>p({active:l}),options:[["",o.any],["true",o.active],["false",o.inactive]]}),s(ye,{label:o.sortBy,value:e.sort??"newest",onValue:l=>p({sort:l}),options:Object.entries(St).map(([l,[,,g]])=>[l,g])})]}),s(W,{loaded:u}),m&&s(w,{children:[s("p",{role:"status",class:"count",children:o.usersCount(m.totalCount)}),s("table",{children:[s("thead",{children:s("tr",{children:[s("th",{scope:"col",children:o.email}),s("th",{scope:"col",children:o.username}),s("th",{scope:"col",children:o.displayName}),s("th",{scope:"col",children:o.roles}),s("th",{scope:"col",children:o.status}),s("th",{scope:"col",children:o.lastLogin})]})}),s("tbody",{children:m.nodes.map(l=>s("tr",{children:[s("td",{children:s("a",{href:`/admin/users/${l.id}`,children:l.email??l.id})}),s("td",{children:l.username}),s("td",{children:l.displayName}),s("td",{children:l.roles.map(g=>g.name).join(", ")}),s("td",{children:l.isActive?o.active:o.inactive}),s("td",{children:O(l.lastLoginAt)})]},l.id))})]}),s("div",{class:"pager",children:[s("button",{type:"button",disabled:!m.pageInfo.hasPreviousPage,onClick:()=>p({...e,before:m.pageInfo.startCursor??void 0,after:void 0}),children:o.previous}),s("button",{type:"button",disabled:!m.pageInfo.hasNextPage,onClick:()=>p({...e,after:m.pageInfo.endCursor??void 0,before:void 0}),children:o.next})]})]})]})}var Et=["email","username","displayName","firstName","lastName","phoneNumber","address","avatarUrl","locale"],Ms={email:"off",firstName:"off",lastName:"off",phoneNumber:"off",address:"off"};function ze(e){let t=Object.fromEntries(Et.map(u=>[u,e.user[u]??""])),[n,r]=he(t,e.user.updatedAt),a=I(),i=u=>{u.preventDefault();let d={};for(let p of Et)n[p]!==t[p]&&(d[p]=n[p].trim()===""?null:n[p].trim());a.run(async()=>{if(Object.keys(d).length>0){let{updateUser:p}=await b(Se,{id:e.user.id,input:d});e.onSaved(p)}return o.saved})};return s(L,{title:o.profile,children:s("form",{onSubmit:i,children:[s("p",{class:"hint",children:o.clearHint}),s("div",{class:"grid",children:Et.map(u=>s(E,{label:o[u],name:u,type:u==="email"?"email":u==="avatarUrl"?"url":"text",value:n[u],onValue:d=>r({...n,[u]:d}),errors:a.fields,disabled:!e.editable||e.readOnly?.includes(u),autocomplete:Ms[u],multiline:u==="address",help:u==="locale"?o.localeHelp:void 0},u))}),s(C,{error:a.error,notice:a.notice}),e.editable&&s("button",{type:"submit",class:"primary",disabled:a.busy,children:o.save})]})})}function Ze(e){let t=e.onRevoke;return s(Pe,{headers:[o.device,o.ipAddress,o.created,o.lastUsed,o.expires],rows:e.sessions,cells:n=>[s(w,{children:[n.userAgent??"\u2014",n.current&&s("strong",{children:[" (",o.thisSession,")"]})]}),n.ipAddress??"\u2014",O(n.createdAt),O(n.lastUsedAt),O(n.expiresAt)],empty:o.noSessions,action:t&&{label:o.revoke,name:n=>n.userAgent??n.id,disabled:e.busy,run:n=>t(n.id)}})}var Qn="user-out-of-reach";function Gn(){let{params:e}=Re(),t=e.id??"",n=B(()=>b(Pn,{id:t}),t),r=n.data?.user;return n.data&&!r?s(w,{children:[s(N,{children:o.usersTitle}),s("p",{class:"alert error",role:"alert",children:o.notFound})]}):s(w,{children:[s(N,{children:r?r.displayName||r.email||r.username||r.id:o.usersTitle}),s(W,{loaded:n}),r&&n.data&&s(Ls,{user:r,caller:n.data.me,roles:n.data.roles,reload:n.reload})]})}function Ls({user:e,caller:t,roles:n,reload:r}){let{route:a}=$(),i=j("USER_WRITE"),u=t.id===e.id,d=u||ue(t,n.filter(x=>e.roles.some(Q=>Q.id===x.id))),p=d?void 0:{text:o.whyOutOfReach,at:Qn},m=u?o.whyNotForSelfActive:p,l=u?o.whyNotForSelfRoles:p,[g,y]=he(e.roles.map(x=>x.id),e.updatedAt),[c,f]=k(""),h=I(),_=I(),R=I(),A=I(),T=I(),S=I(),z=e.email??e.username??e.id;return s(w,{children:[s("p",{class:"meta",children:[o.created,": ",O(e.createdAt)," \xB7 ",o.lastLogin,": ",O(e.lastLoginAt)," \xB7 ",o.emailVerified,": ",e.emailVerified?o.yes:o.no]}),i&&!d&&s(ge,{id:Qn,text:o.whyOutOfReach}),s(ze,{user:e,editable:i&&d,onSaved:r}),s(L,{title:o.status,children:[s("p",{children:e.isActive?o.accountActive:o.accountInactive}),s(C,{error:h.error,notice:h.notice}),i&&s(Bn,{label:e.isActive?o.deactivate:o.activate,disabled:h.busy||!!m,why:m,onClick:()=>{h.run(async()=>{await b(Se,{id:e.id,input:{isActive:!e.isActive}}),r()})}})]}),s(L,{title:o.roles,children:s("form",{onSubmit:x=>{x.preventDefault(),_.run(async()=>(await b(Se,{id:e.id,input:{roleIds:g}}),r(),o.saved))},children:[s(se,{legend:o.roles,name:"roleIds",choices:n.map(x=>[x.id,x.name]),chosen:g,onChosen:y,disabled:!i||!!l,why:i?l:void 0,fixed:{values:n.filter(x=>!ue(t,[x])).map(x=>x.id),why:o.whyRoleNotHeldGiven},errors:_.fields}),s(C,{error:_.error,notice:_.notice}),i&&!l&&s("button",{type:"submit",disabled:_.busy,children:o.saveRoles})]})}),i&&s(L,{title:o.setPassword,children:s("form",{onSubmit:x=>{x.preventDefault(),R.run(async()=>(await b(xn,{id:e.id,password:c}),f(""),r(),o.passwordSet))},children:[s(E,{label:o.newPassword,name:"password",type:"password",value:c,onValue:f,errors:R.fields,autocomplete:"new-password",disabled:!!p,why:p,required:!0}),s(C,{error:R.error,notice:R.notice}),s("button",{type:"submit",disabled:R.busy||!!p,children:o.setPassword})]})}),s(L,{title:o.sessions,children:[s(C,{error:A.error,notice:A.notice}),s(Ze,{sessions:e.sessions??[],busy:A.busy,onRevoke:i&&d?x=>{A.run(async()=>{let{revokeSession:Q}=await b(je,{id:x});return r(),o.sessionsEnded(Q?1:0)})}:void 0}),i&&(e.sessions?.length??0)>0&&s(_e,{label:o.revokeAll,question:`${o.revokeAll}: ${z}?`,disabled:!!p,why:p,onConfirm:()=>{A.run(async()=>{let{revokeUserSessions:x}=await b(Cn,{userId:e.id});return r(),o.sessionsEnded(x)})}})]}),s(L,{title:o.mfa,children:[s("p",{children:e.mfaMethods?.length?e.mfaMethods.join(", "):o.mfaNone}),s(C,{error:T.error,notice:T.notice}),i&&s(_e,{label:o.mfaReset,question:o.confirmMfaReset,danger:!0,disabled:!!p,why:p,onConfirm:()=>{T.run(async()=>(await b(Un,{userId:e.id}),r(),o.mfaResetDone))}})]}),i&&s(L,{title:o.deleteUser,children:[s(C,{error:S.error}),s(_e,{label:o.deleteUser,question:o.confirmDeleteUser(z),danger:!0,disabled:S.busy||!!p,why:p,onConfirm:()=>{S.run(async()=>{await b(Dn,{id:e.id}),a("/admin/users")})}})]})]})}function Jn(){let{route:e}=$(),t=B(()=>b(qe),"roles"),[n,r]=k({email:"",password:"",username:"",displayName:""}),[a,i]=k([]),u=I(),d=t.data?.me,p=d?(t.data?.roles??[]).filter(l=>!ue(d,[l])).map(l=>l.id):[],m=(l,g,y="text",c)=>s(E,{label:g,name:l,type:y,value:n[l],onValue:f=>r({...n,[l]:f}),errors:u.fields,autocomplete:c,required:l==="email"});return s(w,{children:[s(N,{children:o.createUserTitle}),s("form",{onSubmit:l=>{l.preventDefault(),u.run(async()=>{let g=c=>c.trim()||null,{createUser:y}=await b(Tn,{input:{email:n.email.trim(),password:n.password||null,username:g(n.username),displayName:g(n.displayName),roleIds:a}});e(`/admin/users/${y.id}`)})},children:[m("email",o.email,"email","off"),m("password",o.passwordOptional,"password","new-password"),m("username",o.username,"text","off"),m("displayName",o.displayName),s(W,{loaded:t}),s(se,{legend:o.roles,name:"roleIds",choices:(t.data?.roles??[]).map(l=>[l.id,l.name]),chosen:a,onChosen:i,fixed:{values:p,why:o.whyRoleNotHeldGiven},errors:u.fields}),s(C,{error:u.error}),s("button",{type:"submit",class:"primary",disabled:u.busy,children:o.create})]})]})}var Yn=["USER_READ","USER_WRITE","ROLE_READ","ROLE_WRITE","AUDIT_READ"],Pt=(e=Yn)=>Yn.filter(t=>e.includes(t)).map(t=>[t,o.permissionNames[t]??t]);function Zn(){let e=B(()=>b(vn),"roles");return s(w,{children:[s(N,{children:o.rolesTitle}),j("ROLE_WRITE")&&s("p",{children:s("a",{class:"button primary",href:"/admin/roles/new",children:o.newRole})}),s(W,{loaded:e}),e.data&&s("table",{children:[s("thead",{children:s("tr",{children:[s("th",{scope:"col",children:o.name}),s("th",{scope:"col",children:o.roleCode}),s("th",{scope:"col",children:o.description}),s("th",{scope:"col",children:o.permissions}),s("th",{scope:"col",children:o.members})]})}),s("tbody",{children:e.data.roles.map(t=>s("tr",{children:[s("td",{children:[s("a",{href:`/admin/roles/${t.id}`,children:t.name}),t.isSystem&&s("span",{class:"tag",children:[" ",o.system]})]}),s("td",{children:t.code??""}),s("td",{children:t.description??""}),s("td",{children:[...t.permissions,...t.appPermissions].join(", ")}),s("td",{children:t.userCount??""})]},t.id))})]})]})}var Os=e=>({name:e?.name??"",code:e?.code?.toString()??"",description:e?.description??"",permissions:e?.permissions??[],appPermissions:e?.appPermissions.join(`
`)??""});function Xn(e){let t=e.code.trim();return{name:e.name.trim(),code:t===""?null:Number(t),description:e.description.trim()||null,permissions:e.permissions,appPermissions:e.appPermissions.split(`
`).map(n=>n.trim()).filter(Boolean)}}function es(e){let[t,n]=he(Os(e.role),e.role?.updatedAt??""),r=I(),a=i=>u=>n({...t,[i]:u});return s("form",{onSubmit:i=>{i.preventDefault(),r.run(()=>e.onSubmit(t))},children:[s(E,{label:o.name,name:"name",value:t.name,onValue:a("name"),errors:r.fields,disabled:!e.editable||e.role?.isSystem,why:e.editable&&e.role?.isSystem?o.whySystemRoleName:void 0,required:!0}),s(E,{label:o.roleCode,name:"code",type:"number",value:t.code,onValue:a("code"),errors:r.fields,disabled:!e.editable}),s(E,{label:o.description,name:"description",value:t.description,onValue:a("description"),errors:r.fields,disabled:!e.editable,multiline:!0}),s(se,{legend:o.permissions,name:"permissions",choices:Pt(),chosen:t.permissions,onChosen:i=>n({...t,permissions:i}),disabled:!e.editable,errors:r.fields}),s(E,{label:o.appPermissions,name:"appPermissions",value:t.appPermissions,onValue:a("appPermissions"),errors:r.fields,disabled:!e.editable,help:o.appPermissionsHelp,multiline:!0}),s(C,{error:r.error,notice:r.notice}),e.editable&&s("button",{type:"submit",class:"primary",disabled:r.busy,children:e.submit})]})}var zn="role-not-held";function ts(){let{params:e}=Re(),{route:t}=$(),n=e.id??"",r=B(()=>b(An,{id:n}),n),a=I(),i=r.data?.role,u=j("ROLE_WRITE"),d=r.data?.me,p=!i||!d||ue(d,[i],!1),m=!i||!d||ue(d,[i]);return r.data&&!i?s(w,{children:[s(N,{children:o.rolesTitle}),s("p",{class:"alert error",role:"alert",children:o.notFound})]}):s(w,{children:[s(N,{children:i?.name??o.rolesTitle}),s(W,{loaded:r}),i&&s(w,{children:[i.createdBy&&s("p",{class:"meta",children:[o.createdBy,": ",i.createdBy.displayName??i.createdBy.email??i.createdBy.id]}),u&&!p&&s(ge,{id:zn,text:o.whyRoleNotHeld}),s(es,{role:i,editable:u&&p,submit:o.save,onSubmit:async l=>(await b(Rn,{id:i.id,input:Xn(l)}),r.reload(),o.saved)}),s(L,{title:o.members,children:i.users&&i.users.totalCount>0?s(w,{children:[s("p",{children:o.memberCount(i.users.totalCount)}),s("ul",{children:i.users.nodes.map(l=>s("li",{children:s("a",{href:`/admin/users/${l.id}`,children:l.displayName??l.email??l.username??l.id})},l.id))})]}):s("p",{children:i.users?o.noMembers:""})}),u&&s(L,{title:o.deleteRole,children:[s(C,{error:a.error}),s(_e,{label:o.deleteRole,question:o.confirmDeleteRole(i.name),danger:!0,disabled:a.busy||i.isSystem||!m,why:i.isSystem?o.whySystemRoleDelete:m?void 0:p?o.whyRoleNotHeldDelete:{text:o.whyRoleNotHeld,at:zn},onConfirm:()=>{a.run(async()=>{await b(Sn,{id:i.id}),t("/admin/roles")})}})]})]})]})}function ns(){let{route:e}=$();return s(w,{children:[s(N,{children:o.createRoleTitle}),s(es,{editable:!0,submit:o.create,onSubmit:async t=>{let{createRole:n}=await b(wn,{input:Xn(t)});e(`/admin/roles/${n.id}`)}})]})}function Tt(e){return s(E,{label:o.currentPassword,name:"currentPassword",type:"password",value:e.value,onValue:e.onValue,errors:e.errors,autocomplete:"current-password",help:o.presenceHelp,focusOnError:!0})}var xt=e=>e===""?null:e;function ss(){let e=B(()=>b(tn),"me"),t=e.data?.me;return s(w,{children:[s(N,{children:o.accountTitle}),s(W,{loaded:e}),t&&s(w,{children:[s(ze,{user:t,editable:!0,readOnly:["email"],onSaved:e.reload}),s(Vs,{}),s($s,{me:t,reload:e.reload}),s(Ks,{me:t,reload:e.reload}),s(Hs,{me:t,reload:e.reload}),s(Bs,{me:t,reload:e.reload})]})]})}function Vs(){let[e,t]=k(""),[n,r]=k(""),a=I();return s(L,{title:o.changePassword,children:s("form",{onSubmit:i=>{i.preventDefault(),a.run(async()=>(await b(nn,{currentPassword:e,newPassword:n}),t(""),r(""),o.passwordChanged))},children:[s(E,{label:o.currentPassword,name:"currentPassword",type:"password",value:e,onValue:t,errors:a.fields,autocomplete:"current-password",required:!0}),s(E,{label:o.newPassword,name:"newPassword",type:"password",value:n,onValue:r,errors:a.fields,autocomplete:"new-password",required:!0}),s(C,{error:a.error,notice:a.notice}),s("button",{type:"submit",disabled:a.busy,children:o.changePassword})]})})}function $s({me:e,reload:t}){let n=I(),r=e.sessions??[];return s(L,{title:o.sessions,children:[s(C,{error:n.error,notice:n.notice}),s(Ze,{sessions:r,busy:n.busy,onRevoke:a=>{n.run(async()=>{let{revokeSession:i}=await b(je,{id:a});return t(),o.sessionsEnded(i?1:0)})}}),r.length>1&&s("button",{type:"button",disabled:n.busy,onClick:()=>{n.run(async()=>{let{revokeOtherSessions:a}=await b(sn);return t(),o.sessionsEnded(a)})},children:o.revokeOthers})]})}function Fs({codes:e}){return s("div",{class:"secret",role:"status",children:[s("h3",{children:o.recoveryCodes}),s("p",{children:o.recoveryCodesHelp}),s("ul",{class:"codes",children:e.map(t=>s("li",{children:s("code",{children:t})},t))})]})}function Ks({me:e,reload:t}){let n=e.mfaMethods?.includes("TOTP")??!1,[r,a]=k(null),[i,u]=k(""),[d,p]=k(""),[m,l]=k(""),[g,y]=k(null),c=I(),f=(h,_)=>{h.preventDefault(),c.run(async()=>{await _(),p(""),t()})};return s(L,{title:o.totp,children:[s("p",{children:n?o.totpOn:o.totpOff}),g&&s(Fs,{codes:g}),s(C,{error:c.error,notice:c.notice}),!n&&!r&&s("form",{onSubmit:h=>{h.preventDefault(),c.run(async()=>{let{beginTotpEnrollment:_}=await b(rn,{currentPassword:xt(m)});l(""),a(_)})},children:[s(Tt,{value:m,onValue:l,errors:c.fields}),s("button",{type:"submit",disabled:c.busy,children:o.totpBegin})]}),!n&&r&&s("form",{onSubmit:h=>{h.preventDefault(),c.run(async()=>{let{confirmTotpEnrollment:_}=await b(on,{code:i});y(_),a(null),u(""),t()})},children:[s("p",{children:o.totpScan}),s("img",{class:"qr",alt:o.totpQr,src:`data:image/svg+xml;charset=utf-8,${encodeURIComponent(r.qrSvg)}`}),s("p",{children:[o.totpKey,": ",s("code",{children:r.secret})]}),s(E,{label:o.code,name:"code",value:i,onValue:u,errors:c.fields,autocomplete:"one-time-code",required:!0}),s("button",{type:"submit",class:"primary",disabled:c.busy,children:o.totpConfirm})]}),n&&s("form",{onSubmit:h=>h.preventDefault(),children:[s(E,{label:o.currentPassword,name:"currentPassword",type:"password",value:d,onValue:p,errors:c.fields,autocomplete:"current-password",required:!0}),s("div",{class:"actions",children:[s("button",{type:"submit",disabled:c.busy,onClick:h=>f(h,async()=>y((await b(ln,{currentPassword:d})).regenerateRecoveryCodes)),children:o.recoveryCodesRegenerate}),s("button",{type:"submit",class:"danger",disabled:c.busy,onClick:h=>f(h,async()=>{await b(an,{currentPassword:d}),y(null)}),children:o.totpDisable})]})]})]})}function Hs({me:e,reload:t}){let[n,r]=k(""),[a,i]=k(""),u=I(),d=e.passkeys??[];return s(L,{title:o.passkeys,children:[s(Pe,{headers:[o.name,o.created,o.lastUsed],rows:d,cells:p=>[p.name,O(p.createdAt),O(p.lastUsedAt)],empty:o.noPasskeys,action:{label:o.remove,name:p=>p.name,disabled:u.busy,run:p=>{u.run(async()=>{await b(cn,{id:p.id}),t()})}}}),s("form",{onSubmit:p=>{p.preventDefault(),u.run(async()=>{let{beginPasskeyRegistration:m}=await b(un,{currentPassword:xt(a)});i("");let l=await Fn(m.options);return l?(await b(dn,{challengeId:m.challengeId,name:n,credential:l}),r(""),t(),o.passkeyAdded):o.passkeyCancelled})},children:[s(E,{label:o.passkeyName,name:"name",value:n,onValue:r,errors:u.fields,required:!0}),s(Tt,{value:a,onValue:i,errors:u.fields}),s(C,{error:u.error,notice:u.notice}),s("button",{type:"submit",disabled:u.busy,children:o.addPasskey})]})]})}function Bs({me:e,reload:t}){let[n,r]=k(""),[a,i]=k([]),[u,d]=k([]),[p,m]=k(""),[l,g]=k(""),[y,c]=k(null),f=I(),h=e.apiKeys??[];return s(L,{title:o.apiKeys,children:[y&&s("div",{class:"secret",role:"status",children:[s("p",{children:o.keySecret}),s("code",{children:y})]}),s(C,{error:f.error,notice:f.notice}),s(Pe,{headers:[o.name,o.prefix,o.permissions,o.expires,o.lastUsed],rows:h,cells:_=>[_.name,s("code",{children:_.prefix}),[..._.permissions,..._.appPermissions].join(", ")||o.none,O(_.expiresAt),O(_.lastUsedAt)],empty:o.noApiKeys,action:{label:o.revoke,name:_=>_.name,disabled:f.busy,run:_=>{f.run(async()=>{await b(mn,{id:_.id}),t()})}}}),s("form",{onSubmit:_=>{_.preventDefault(),f.run(async()=>{let{createApiKey:R}=await b(pn,{input:{name:n.trim(),permissions:a,appPermissions:u,expiresAt:p?new Date(p).toISOString():null,currentPassword:xt(l)}});g(""),c(R.secret),r(""),i([]),d([]),m(""),t()})},children:[s(E,{label:o.keyName,name:"name",value:n,onValue:r,errors:f.fields,required:!0}),e.permissions.length>0&&s(se,{legend:o.permissions,name:"permissions",choices:Pt(e.permissions),chosen:a,onChosen:i,errors:f.fields}),e.appPermissions.length>0&&s(se,{legend:o.appPermissions,name:"appPermissions",choices:e.appPermissions.map(_=>[_,_]),chosen:u,onChosen:d,errors:f.fields}),s(E,{label:o.expiresAt,name:"expiresAt",type:"datetime-local",value:p,onValue:m,errors:f.fields}),s(Tt,{value:l,onValue:g,errors:f.fields}),s("button",{type:"submit",disabled:f.busy,children:o.createKey})]})]})}var rs=25,qs=["USER_REGISTERED","LOGIN_SUCCEEDED","LOGIN_FAILED","ACCOUNT_LOCKED","LOGOUT","SESSION_REVOKED","REFRESH_TOKEN_REUSED","PASSWORD_CHANGED","PASSWORD_SET","PASSWORD_RESET_REQUESTED","PASSWORD_RESET","EMAIL_VERIFIED","EMAIL_CHANGED","USER_CREATED","USER_UPDATED","USER_DELETED","ROLE_CREATED","ROLE_UPDATED","ROLE_DELETED","MFA_ENABLED","MFA_DISABLED","PASSKEY_ADDED","PASSKEY_REMOVED","RECOVERY_CODES_REGENERATED","API_KEY_CREATED","API_KEY_REVOKED","SIGNING_KEY_ROTATED"];var os=e=>e?new Date(e).toISOString():null;function js(e){let t={actions:e.action?[e.action]:null,actorId:e.actor||null,subjectUserId:e.subject||null,since:os(e.since),until:os(e.until)};return{...e.before?{last:rs,before:e.before}:{first:rs,after:e.after||null},filter:t}}function is(){let{query:e,path:t,route:n}=$(),[r,a]=k({actor:e.actor??"",subject:e.subject??"",since:e.since??"",until:e.until??""}),i=js(e),u=B(()=>b(fn,i),JSON.stringify(i)),d=l=>{let g=new URLSearchParams;for(let[c,f]of Object.entries({...e,after:void 0,before:void 0,...l}))f&&g.set(c,f);let y=g.toString();n(y?`${t}?${y}`:t)},p=l=>g=>a({...r,[l]:g}),m=u.data?.auditEvents;return s(w,{children:[s(N,{children:o.auditTitle}),s("form",{class:"filters",role:"search",onSubmit:l=>{l.preventDefault(),d({actor:r.actor.trim(),subject:r.subject.trim(),since:r.since,until:r.until})},children:[s(ye,{label:o.action,value:e.action??"",onValue:l=>d({action:l}),options:[["",o.any],...qs.map(l=>[l,l])]}),s(E,{label:o.actorId,name:"actorId",value:r.actor,onValue:p("actor")}),s(E,{label:o.subjectUserId,name:"subjectUserId",value:r.subject,onValue:p("subject")}),s(E,{label:o.since,name:"since",type:"datetime-local",value:r.since,onValue:p("since")}),s(E,{label:o.until,name:"until",type:"datetime-local",value:r.until,onValue:p("until")}),s("button",{type:"submit",children:o.filter})]}),s(W,{loaded:u}),m&&s(w,{children:[s("p",{role:"status",class:"count",children:o.eventsCount(m.totalCount)}),m.nodes.length===0?s("p",{children:o.noEvents}):s("table",{class:"audit",children:[s("thead",{children:s("tr",{children:[s("th",{scope:"col",children:o.at}),s("th",{scope:"col",children:o.action}),s("th",{scope:"col",children:o.actor}),s("th",{scope:"col",children:o.subject}),s("th",{scope:"col",children:o.ipAddress}),s("th",{scope:"col",children:o.details})]})}),s("tbody",{children:m.nodes.map(l=>s("tr",{children:[s("td",{children:O(l.at)}),s("td",{children:s("code",{children:l.action})}),s("td",{children:l.actor?s("a",{href:`/admin/users/${l.actor.id}`,children:l.actor.email??l.actor.displayName??l.actor.id}):l.actorId??o.anonymousActor}),s("td",{children:[l.subjectUserId&&s("a",{href:`/admin/users/${l.subjectUserId}`,children:l.subjectUserId}),l.subjectRoleId&&s("a",{href:`/admin/roles/${l.subjectRoleId}`,children:l.subjectRoleId})]}),s("td",{children:l.ipAddress??""}),s("td",{children:s("code",{class:"details",children:JSON.stringify(l.details)})})]},l.id))})]}),s("div",{class:"pager",children:[s("button",{type:"button",disabled:!m.pageInfo.hasPreviousPage,onClick:()=>d({before:m.pageInfo.startCursor??void 0}),children:o.previous}),s("button",{type:"button",disabled:!m.pageInfo.hasNextPage,onClick:()=>d({after:m.pageInfo.endCursor??void 0}),children:o.next})]})]})]})}function Ws(){let[e,t]=k(Ge());return ne(()=>{let n=In(()=>t(Ge()));return t(Ge()),n},[]),e}function Qs({me:e}){let{path:t}=$(),n=[["/admin/users",o.navUsers,j("USER_READ")],["/admin/roles",o.navRoles,j("ROLE_READ")],["/admin/audit",o.navAudit,j("AUDIT_READ")],["/admin/account",o.navAccount,!0]];return s("header",{class:"top",children:[s("a",{class:"brand",href:"/admin",children:o.appName}),s("nav",{"aria-label":o.nav,children:s("ul",{children:n.filter(([,,r])=>r).map(([r,a])=>s("li",{children:s("a",{href:r,"aria-current":t.startsWith(r)?"page":void 0,children:a})},r))})}),s("span",{class:"who",children:o.signedInAs(e.email??e.username??e.id)}),s("button",{type:"button",onClick:()=>{Mn()},children:o.signOut})]})}function as(){let{route:e}=$();return ne(()=>e(j("USER_READ")?"/admin/users":"/admin/account",!0),[]),null}function Gs(){return s(w,{children:[s(N,{children:o.notFound}),s("p",{children:s("a",{href:"/admin",children:o.appName})})]})}function Js(){let e=Ws();return e.status==="loading"?s("p",{role:"status",children:o.loading}):e.status==="signedOut"?s(qn,{expired:e.reason==="expired"}):s(w,{children:[s("a",{class:"skip",href:"#main",children:o.skipToContent}),s(Qs,{me:e.me}),s("main",{id:"main",children:s(Ke,{children:[s(H,{path:"/admin",component:as}),s(H,{path:"/admin/",component:as}),s(H,{path:"/admin/users",component:Wn}),s(H,{path:"/admin/users/new",component:Jn}),s(H,{path:"/admin/users/:id",component:Gn}),s(H,{path:"/admin/roles",component:Zn}),s(H,{path:"/admin/roles/new",component:ns}),s(H,{path:"/admin/roles/:id",component:ts}),s(H,{path:"/admin/account",component:ss}),s(H,{path:"/admin/audit",component:is}),s(H,{default:!0,component:Gs})]})})]})}document.documentElement.lang=He;var ls=document.getElementById("app");ls&&Kt(s(ae,{scope:"/admin",children:s(Js,{})}),ls);Ln();
